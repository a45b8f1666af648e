package dev.kiln.processor.layers;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.kiln.processor.Diagnosed;
import dev.kiln.processor.LayerTesting;
import dev.kiln.runtime.KilnModel;
import dev.kiln.runtime.reference.GradientCheck;
import java.util.List;
import java.util.Map;
import javax.tools.Diagnostic;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/**
 * {@code @TimeDistributed @Dense}: one kernel and bias for every step, values against the Dense equation written out
 * per step, gradients over open sequences, after an LSTM and before one that takes the mask it passes on; diagnostics.
 */
class TimeDistributedLayerTest {
    private static ClassLoader loader;

    @BeforeAll
    static void compile() {
        loader = LayerTesting.compile("td.Steps", """
                package td;
                import dev.kiln.dsl.*;
                @Model interface Steps {
                    @Input(shape = {4, 3}) Tensor x();
                    @TimeDistributed @Dense(units = 2, activation = Activation.TANH) @Output Tensor y(Tensor x);
                }
                """, "td.Tagger", """
                package td;
                import dev.kiln.dsl.*;
                @Model interface Tagger {
                    @Input(shape = {Input.NONE, 3}) Tensor x();
                    @LSTM(units = 4, returnSequences = true) Tensor h(Tensor x);
                    @TimeDistributed @Dense(units = 3, activation = Activation.SOFTMAX)
                    @Output(loss = Loss.SPARSE_CATEGORICAL_CROSSENTROPY) Tensor tag(Tensor h);
                }
                """, "td.Masked", """
                package td;
                import dev.kiln.dsl.*;
                @Model interface Masked {
                    @Input(shape = 5, dtype = DType.INT32) Tensor ids();
                    @Embedding(inputDim = 3, outputDim = 4, maskZero = true) Tensor v(Tensor ids);
                    @TimeDistributed @Dense(units = 3, activation = Activation.RELU) Tensor p(Tensor v);
                    @GRU(units = 2) Tensor g(Tensor p);
                    @Dense(units = 1) @Output(loss = Loss.MEAN_SQUARED_ERROR) Tensor y(Tensor g);
                }
                """);
    }

    @Test
    void oneKernelForEveryStepWithTheDenseEquation() {
        KilnModel m = LayerTesting.model(loader, "td.StepsModel");
        assertEquals(List.of("y/kernel", "y/bias"), m.spec().variables().stream().map(v -> v.name()).toList());
        assertEquals(3 * 2 + 2, m.countParams());
        double[][] w = {{0.5, -0.3}, {0.8, 0.1}, {-0.2, 0.4}};
        double[] b = {0.1, -0.2};
        m.setWeights(Map.of("y/kernel", Nd4j.create(w), "y/bias", Nd4j.create(b)));
        INDArray x = Nd4j.rand(DataType.DOUBLE, 2, 4, 3).subi(0.5);
        INDArray y = m.predictBatch(new INDArray[] {x})[0];
        assertArrayEquals(new long[] {2, 4, 2}, y.shape());
        for (int s = 0; s < 2; s++) {
            for (int t = 0; t < 4; t++) {
                for (int j = 0; j < 2; j++) {
                    double z = b[j];
                    for (int i = 0; i < 3; i++) {
                        z += x.getDouble(s, t, i) * w[i][j];
                    }
                    assertEquals(Math.tanh(z), y.getDouble(s, t, j), 1e-12);
                }
            }
        }
        assertTrue(m.summary().contains("TimeDistributed"), m.summary());
    }

    @Test
    void gradientsMatchFiniteDifferencesAndTheReference() {
        LayerTesting.assertGradientsMatch(LayerTesting.model(loader, "td.StepsModel"), "TimeDistributed Dense");
        LayerTesting.assertGradientsMatch(LayerTesting.model(loader, "td.MaskedModel"), "mask passed to a GRU");
        KilnModel tagger = LayerTesting.model(loader, "td.TaggerModel");
        for (int steps : new int[] {1, 5}) {
            INDArray x = Nd4j.rand(DataType.DOUBLE, 2, steps, 3).subi(0.5);
            GradientCheck.Result r = GradientCheck.check(tagger, new INDArray[] {x},
                    new INDArray[] {Nd4j.zeros(DataType.DOUBLE, 2, steps)}, 40, 1e-6, 5);
            assertTrue(r.passed(), () -> steps + " steps: " + r.failures());
        }
    }

    @Test
    void onlyDenseIsWrapped() {
        String source = """
                package demo;
                import dev.kiln.dsl.*;
                @Model interface Net {
                    @Input(shape = {4, 6, 2}) Tensor x();
                    @TimeDistributed @Conv1D(filters = 2, kernelSize = 3) @Output Tensor y(Tensor x);
                }
                """;
        Diagnosed.assertAt(Diagnosed.only(Diagnosed.compile("demo.Net", source)), Diagnostic.Kind.ERROR, source,
                "@Conv1D", "[kiln/LayerAnnotation] TimeDistributed 'y' wraps @Dense only, but 'y' has @Conv1D: Kiln"
                        + " cannot yet run a layer whose kernels read the batch from the first axis once per step.");
    }

    @Test
    void aFlatInputIsAnErrorOnTheParameter() {
        String source = """
                package demo;
                import dev.kiln.dsl.*;
                @Model interface Net {
                    @Input(shape = 8) Tensor x();
                    @TimeDistributed @Dense(units = 2) @Output Tensor y(Tensor x);
                }
                """;
        Diagnosed.assertAt(Diagnosed.only(Diagnosed.compile("demo.Net", source)), Diagnostic.Kind.ERROR, source,
                "x);", "[kiln/ShapeMismatch] TimeDistributed 'y' applies @Dense to every step of a sequence (steps,"
                        + " ...), but 'x' has shape (8).\n"
                        + "      x  @Input(shape = 8)  (8)\n"
                        + "  Give it a sequence, e.g. the output of an LSTM with returnSequences = true.");
    }
}
