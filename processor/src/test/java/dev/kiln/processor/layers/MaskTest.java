package dev.kiln.processor.layers;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;

import com.google.testing.compile.Compilation;
import dev.kiln.processor.Diagnosed;
import dev.kiln.processor.LayerTesting;
import dev.kiln.runtime.KilnModel;
import javax.tools.Diagnostic;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/**
 * Masks as Keras propagates them: padding ids of an {@code Embedding(maskZero = true)}, or steps a {@code Masking}
 * layer finds empty, pass through step-wise layers and are skipped by recurrent layers, so that a padded sequence
 * gives what the unpadded one gives; a mask reaching a layer that cannot take it is a compile error.
 */
class MaskTest {
    private static ClassLoader loader;

    @BeforeAll
    static void compile() {
        String pattern = """
                package mask;
                import dev.kiln.dsl.*;
                @Model interface %s {
                    @Input(shape = Input.NONE, dtype = DType.INT32) Tensor ids();
                    @Embedding(inputDim = 10, outputDim = 4, maskZero = true) Tensor vectors(Tensor ids);
                    @Dense(units = 4, activation = Activation.TANH) Tensor perStep(Tensor vectors);
                    @Dropout(rate = 0.2) Tensor dropped(Tensor perStep);
                    @%s(units = 3, returnSequences = true) Tensor first(Tensor dropped);
                    @%s(units = 2) Tensor last(Tensor first);
                    @Dense(units = 1) @Output(loss = Loss.MEAN_SQUARED_ERROR) Tensor y(Tensor last);
                }
                """;
        loader = LayerTesting.compile("mask.OnLSTM", pattern.formatted("OnLSTM", "LSTM", "LSTM"),
                "mask.OnGRU", pattern.formatted("OnGRU", "GRU", "GRU"),
                "mask.OnSimpleRNN", pattern.formatted("OnSimpleRNN", "SimpleRNN", "SimpleRNN"), "mask.Pooled", """
                package mask;
                import dev.kiln.dsl.*;
                @Model interface Pooled {
                    @Input(shape = 6, dtype = DType.INT32) Tensor ids();
                    @Embedding(inputDim = 10, outputDim = 4, maskZero = true) Tensor vectors(Tensor ids);
                    @Dense(units = 4, activation = Activation.RELU) Tensor perStep(Tensor vectors);
                    @GlobalAveragePooling1D Tensor average(Tensor perStep);
                    @Dense(units = 1, activation = Activation.SIGMOID)
                    @Output(loss = Loss.BINARY_CROSSENTROPY) Tensor positive(Tensor average);
                }
                """, "mask.Values", """
                package mask;
                import dev.kiln.dsl.*;
                @Model interface Values {
                    @Input(shape = {Input.NONE, 2}) Tensor x();
                    @Masking(maskValue = -1) Tensor masked(Tensor x);
                    @GRU(units = 3, goBackwards = true) Tensor state(Tensor masked);
                    @Dense(units = 1) @Output(loss = Loss.MEAN_SQUARED_ERROR) Tensor y(Tensor state);
                }
                """);
    }

    private static double[] predict(KilnModel m, int[][] ids) {
        return m.predictBatch(new INDArray[] {Nd4j.createFromArray(ids)})[0].data().asDouble();
    }

    @ParameterizedTest
    @ValueSource(strings = {"OnLSTM", "OnGRU", "OnSimpleRNN"})
    void paddingBeforeOrAfterChangesNothing(String model) {
        KilnModel m = LayerTesting.model(loader, "mask." + model + "Model");
        double[] plain = predict(m, new int[][] {{5, 3, 7}, {2, 9, 1}});
        assertArrayEquals(plain, predict(m, new int[][] {{0, 0, 5, 3, 7}, {2, 9, 1, 0, 0}}), 1e-6, model);
        assertArrayEquals(plain, predict(m, new int[][] {{5, 0, 3, 7, 0}, {0, 2, 9, 0, 1}}), 1e-6, model);
    }

    /** Keras's text classifier: a masked average ignores the padding wherever it is. */
    @Test
    void aMaskedAverageIgnoresThePadding() {
        KilnModel m = LayerTesting.model(loader, "mask.PooledModel");
        double[] plain = predict(m, new int[][] {{5, 3, 7, 5, 3, 7}});
        assertArrayEquals(plain, predict(m, new int[][] {{0, 5, 3, 0, 7, 0}}), 1e-6);
        assertArrayEquals(plain, predict(m, new int[][] {{7, 3, 5, 0, 0, 0}}), 1e-6);
    }

    @ParameterizedTest
    @ValueSource(strings = {"OnLSTM", "OnGRU", "OnSimpleRNN", "Values", "Pooled"})
    void gradientsThroughMaskedStepsMatchFiniteDifferencesAndTheReference(String model) {
        LayerTesting.assertGradientsMatch(LayerTesting.model(loader, "mask." + model + "Model"), model);
    }

    @Test
    void maskingSkipsStepsOfTheMaskValue() {
        KilnModel m = LayerTesting.model(loader, "mask.ValuesModel");
        double[] plain = m.predictBatch(new INDArray[] {Nd4j.create(new double[][][] {{{0.5, 0.2}, {0.1, -0.3}}})})[0]
                .data().asDouble();
        double[] padded = m.predictBatch(new INDArray[] {Nd4j.create(new double[][][] {{{-1, -1}, {0.5, 0.2},
                {-1, -1}, {0.1, -0.3}}})})[0].data().asDouble();
        assertArrayEquals(plain, padded, 1e-6);
    }

    @Test
    void aMaskReachingAFlattenIsAnError() {
        String source = """
                package demo;
                import dev.kiln.dsl.*;
                @Model interface Net {
                    @Input(shape = 6, dtype = DType.INT32) Tensor ids();
                    @Embedding(inputDim = 10, outputDim = 4, maskZero = true) Tensor vectors(Tensor ids);
                    @Flatten Tensor flat(Tensor vectors);
                    @Dense(units = 1) @Output(loss = Loss.MEAN_SQUARED_ERROR) Tensor y(Tensor flat);
                }
                """;
        Compilation c = Diagnosed.compile("demo.Net", source);
        Diagnosed.assertAt(Diagnosed.only(c), Diagnostic.Kind.ERROR, source, "vectors);\n    @Dense",
                "[kiln/MaskUnsupported] Flatten 'flat' cannot take the mask on 'vectors', which 'vectors' (Embedding)"
                        + " puts on its padding steps: it would compute on the padding as if it were data. Consume the"
                        + " mask first with a recurrent layer (SimpleRNN, LSTM, GRU) or GlobalAveragePooling1D, or drop it"
                        + " (maskZero = false).");
    }
}
