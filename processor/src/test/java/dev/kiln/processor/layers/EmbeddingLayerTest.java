package dev.kiln.processor.layers;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import com.google.testing.compile.Compilation;
import dev.kiln.processor.Diagnosed;
import dev.kiln.processor.LayerTesting;
import dev.kiln.runtime.KilnModel;
import java.util.Map;
import javax.tools.Diagnostic;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/** {@code @Embedding}: rows gathered by id, Keras's table layout, repeated ids' gradients summed, bad ids named. */
class EmbeddingLayerTest {
    private static ClassLoader loader;

    @BeforeAll
    static void compile() {
        loader = LayerTesting.compile("emb.Words", """
                package emb;
                import dev.kiln.dsl.*;
                @Model interface Words {
                    @Input(shape = 4, dtype = DType.INT32) Tensor words();
                    @Embedding(inputDim = 5, outputDim = 3) Tensor vectors(Tensor words);
                    @Flatten Tensor flat(Tensor vectors);
                    @Dense(units = 2, activation = Activation.SOFTMAX)
                    @Output(loss = Loss.SPARSE_CATEGORICAL_CROSSENTROPY) Tensor label(Tensor flat);
                }
                """, "emb.Lookup", """
                package emb;
                import dev.kiln.dsl.*;
                @Model interface Lookup {
                    @Input(shape = 4, dtype = DType.INT32) Tensor words();
                    @Embedding(inputDim = 5, outputDim = 3) @Output Tensor vectors(Tensor words);
                }
                """);
    }

    private static KilnModel model() {
        return LayerTesting.model(loader, "emb.WordsModel");
    }

    @Test
    void tableHasKerasLayoutAndDefaultRange() {
        INDArray table = model().getWeights().get("vectors/embeddings");
        assertArrayEquals(new long[] {5, 3}, table.shape());
        // Keras's "uniform": RandomUniform(-0.05, 0.05)
        assertEquals(true, table.amaxNumber().doubleValue() <= 0.05, table::toString);
        assertEquals(5 * 3 + (12 * 2 + 2), model().countParams());
    }

    @Test
    void eachIdIsReplacedByItsRow() {
        KilnModel m = LayerTesting.model(loader, "emb.LookupModel");
        double[] table = new double[15];
        for (int i = 0; i < table.length; i++) {
            table[i] = i;
        }
        m.setWeights(Map.of("vectors/embeddings", Nd4j.create(table, new long[] {5, 3}, 'c')));
        INDArray ids = Nd4j.createFromArray(new int[][] {{4, 0, 4, 2}});
        INDArray out = m.predictBatch(new INDArray[] {ids})[0];
        assertArrayEquals(new long[] {1, 4, 3}, out.shape());
        assertArrayEquals(new double[] {12, 13, 14, 0, 1, 2, 12, 13, 14, 6, 7, 8}, out.data().asDouble(), 0);
    }

    @Test
    void repeatedIdsAddTheirGradients() {
        LayerTesting.assertGradientsMatch(model(), "Embedding");
        KilnModel m = model();
        INDArray ids = Nd4j.createFromArray(new int[][] {{1, 1, 1, 1}, {1, 3, 3, 1}});
        m.computeGradients(new INDArray[] {ids}, new INDArray[] {Nd4j.createFromArray(0.0, 1.0)}, false);
        INDArray g = m.gradients().get("vectors/embeddings");
        assertEquals(0.0, g.getRow(0).norm2Number().doubleValue(), "an id not looked up gets no gradient");
        assertEquals(0.0, g.getRow(4).norm2Number().doubleValue());
        assertEquals(true, g.getRow(1).norm2Number().doubleValue() > 0);
    }

    @Test
    void anIdOutOfRangeNamesTheInputTheSampleAndTheId() {
        INDArray ids = Nd4j.createFromArray(new int[][] {{0, 1, 2, 3}, {4, 7, 0, 0}});
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> model().predictBatch(new INDArray[] {ids}));
        assertEquals("input 'words' holds id 7 in sample 1, but the embedding has ids 0 to 4 (inputDim = 5)",
                e.getMessage());
    }

    @Test
    void aZeroVocabularyIsAnErrorOnTheAttribute() {
        String source = """
                package demo;
                import dev.kiln.dsl.*;
                @Model interface Net {
                    @Input(shape = 4, dtype = DType.INT32) Tensor x();
                    @Embedding(inputDim = 0, outputDim = 8) @Output Tensor y(Tensor x);
                }
                """;
        Compilation c = Diagnosed.compile("demo.Net", source);
        Diagnosed.assertAt(Diagnosed.only(c), Diagnostic.Kind.ERROR, source, "0, outputDim", "[kiln/IllegalAttribute]"
                + " Embedding 'y' has inputDim = 0, but inputDim is the number of ids (the vocabulary's size) and must"
                + " be positive. Use e.g. @Embedding(inputDim = 10000, outputDim = 64).");
    }
}
