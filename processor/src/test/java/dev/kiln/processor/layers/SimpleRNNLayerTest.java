package dev.kiln.processor.layers;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import com.google.testing.compile.Compilation;
import dev.kiln.processor.Diagnosed;
import dev.kiln.processor.LayerTesting;
import dev.kiln.runtime.KilnModel;
import javax.tools.Diagnostic;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/**
 * {@code @SimpleRNN}: Keras's parameter count; {@code goBackwards} reads the steps last to first and, with
 * {@code returnSequences}, returns them in that order; gradients; activation rules.
 */
class SimpleRNNLayerTest {
    private static ClassLoader loader;

    @BeforeAll
    static void compile() {
        String pattern = """
                package rnn;
                import dev.kiln.dsl.*;
                @Model interface %s {
                    @Input(shape = {4, 3}) Tensor x();
                    @SimpleRNN(units = 2, returnSequences = true%s) @Output Tensor h(Tensor x);
                }
                """;
        loader = LayerTesting.compile("rnn.Forwards", pattern.formatted("Forwards", ""), "rnn.Backwards",
                pattern.formatted("Backwards", ", goBackwards = true"), "rnn.Trained", """
                package rnn;
                import dev.kiln.dsl.*;
                @Model interface Trained {
                    @Input(shape = {Input.NONE, 3}) Tensor x();
                    @SimpleRNN(units = 5, activation = Activation.RELU, useBias = false) Tensor h(Tensor x);
                    @Dense(units = 2) @Output(loss = Loss.MEAN_SQUARED_ERROR) Tensor y(Tensor h);
                }
                """);
    }

    @Test
    void kerasParameterCount() {
        // Keras: units * (features + units) + units
        assertEquals(2 * (3 + 2) + 2, LayerTesting.model(loader, "rnn.ForwardsModel").countParams());
    }

    @Test
    void goBackwardsIsTheForwardLayerOnTheReversedSequenceInReversedOrder() {
        KilnModel forwards = LayerTesting.model(loader, "rnn.ForwardsModel");
        KilnModel backwards = LayerTesting.model(loader, "rnn.BackwardsModel");
        backwards.setWeights(forwards.getWeights());
        INDArray x = Nd4j.rand(DataType.DOUBLE, 2, 4, 3);
        INDArray reversed = x.dup();
        for (int t = 0; t < 4; t++) {
            reversed.get(org.nd4j.linalg.indexing.NDArrayIndex.all(), org.nd4j.linalg.indexing.NDArrayIndex.point(t))
                    .assign(x.get(org.nd4j.linalg.indexing.NDArrayIndex.all(),
                            org.nd4j.linalg.indexing.NDArrayIndex.point(3 - t)));
        }
        INDArray expected = forwards.predictBatch(new INDArray[] {reversed})[0];
        INDArray actual = backwards.predictBatch(new INDArray[] {x})[0];
        assertArrayEquals(expected.data().asDouble(), actual.data().asDouble(), 1e-15);
    }

    @Test
    void gradientsMatchFiniteDifferencesAndTheReference() {
        LayerTesting.assertGradientsMatch(LayerTesting.model(loader, "rnn.TrainedModel"), "SimpleRNN relu");
    }

    @Test
    void softmaxIsNotARecurrentActivation() {
        String source = """
                package demo;
                import dev.kiln.dsl.*;
                @Model interface Net {
                    @Input(shape = {3, 2}) Tensor x();
                    @SimpleRNN(units = 4, activation = Activation.SOFTMAX) @Output Tensor y(Tensor x);
                }
                """;
        Compilation c = Diagnosed.compile("demo.Net", source);
        Diagnosed.assertAt(Diagnosed.only(c), Diagnostic.Kind.ERROR, source, ".SOFTMAX)",
                "[kiln/IllegalAttribute] SimpleRNN 'y' has activation = SOFTMAX, but Kiln's recurrent layers take"
                        + " activations whose derivative follows from their output: TANH, SIGMOID, HARD_SIGMOID, RELU,"
                        + " ELU, SELU, SOFTSIGN, SOFTPLUS, LEAKY_RELU or LINEAR.");
    }
}
