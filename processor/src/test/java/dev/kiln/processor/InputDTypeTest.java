package dev.kiln.processor;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.google.testing.compile.Compilation;
import dev.kiln.runtime.KilnModel;
import java.util.Map;
import javax.tools.Diagnostic;
import org.junit.jupiter.api.Test;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/**
 * {@code @Input(dtype = INT64)} ids and {@code FLOAT64} features, as Keras's {@code Input(dtype="int64")} and
 * {@code "float64"}: int64 ids look up the same rows as int32 ones, float64 data is cast to the model's dtype, and int64
 * ids into a float layer are diagnosed as int32 ones are.
 */
class InputDTypeTest {
    @Test
    void int64IdsAndFloat64FeaturesFeedAFloat32Model() {
        ClassLoader loader = LayerTesting.compile("types.Mixed", """
                package types;
                import dev.kiln.dsl.*;
                @Model interface Mixed {
                    @Input(shape = 3, dtype = DType.INT64) Tensor ids();
                    @Input(shape = 2, dtype = DType.FLOAT64) Tensor scale();
                    @Embedding(inputDim = 7, outputDim = 2) Tensor vectors(Tensor ids);
                    @Flatten Tensor flat(Tensor vectors);
                    @Concatenate Tensor joined(Tensor flat, Tensor scale);
                    @Dense(units = 1) @Output(loss = Loss.MEAN_SQUARED_ERROR) Tensor y(Tensor joined);
                }
                """);
        KilnModel m = ModelCompiler.create(loader, "types.MixedModel", 3, DataType.FLOAT);
        INDArray ids64 = Nd4j.createFromArray(new long[][] {{0, 6, 3}, {2, 2, 5}});
        INDArray scale64 = Nd4j.createFromArray(new double[][] {{0.25, -1.5}, {3.0, 0.125}});
        INDArray y = m.predict(Map.of("ids", ids64, "scale", scale64)).get("y");
        INDArray same = m.predict(Map.of("ids", ids64.castTo(DataType.INT32), "scale", scale64.castTo(DataType.FLOAT)))
                .get("y");
        assertEquals(DataType.FLOAT, y.dataType());
        assertEquals(same, y);
        double loss = m.testStep(new INDArray[] {ids64, scale64}, new INDArray[] {Nd4j.zeros(DataType.DOUBLE, 2, 1)})
                .loss();
        assertTrue(Double.isFinite(loss));
        LayerTesting.assertGradientsMatch(LayerTesting.model(loader, "types.MixedModel"), "int64 and float64 inputs");
    }

    @Test
    void int64IdsIntoADenseLayerAreAnError() {
        String source = """
                package demo;
                import dev.kiln.dsl.*;
                @Model interface Net {
                    @Input(shape = 4, dtype = DType.INT64) Tensor ids();
                    @Dense(units = 2) @Output Tensor y(Tensor ids);
                }
                """;
        Compilation c = Diagnosed.compile("demo.Net", source);
        Diagnosed.assertAt(Diagnosed.only(c), Diagnostic.Kind.ERROR, source, "ids);",
                "[kiln/DTypeMismatch] Dense 'y' computes on float values, but input 'ids' holds int64 ids (dtype ="
                        + " INT64), which only a layer that looks ids up takes. Drop dtype = INT64 from 'ids' to feed it"
                        + " float32 values.");
    }
}
