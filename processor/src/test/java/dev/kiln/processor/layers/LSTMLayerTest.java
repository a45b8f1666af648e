package dev.kiln.processor.layers;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.google.testing.compile.Compilation;
import dev.kiln.processor.Diagnosed;
import dev.kiln.processor.LayerTesting;
import dev.kiln.processor.ModelCompiler;
import dev.kiln.runtime.KilnModel;
import dev.kiln.runtime.reference.GradientCheck;
import java.util.Map;
import javax.tools.Diagnostic;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/**
 * {@code @LSTM}: Keras's weight layout and forget-gate bias, one step worked out by hand, gradients over sequences of
 * any length, from ids through an embedding, and frozen; its input rules.
 */
class LSTMLayerTest {
    private static ClassLoader loader;

    @BeforeAll
    static void compile() {
        loader = LayerTesting.compile("lstm.Tagger", """
                package lstm;
                import dev.kiln.dsl.*;
                @Model interface Tagger {
                    @Input(shape = {Input.NONE, 3}) Tensor steps();
                    @LSTM(units = 4, returnSequences = true) Tensor states(Tensor steps);
                    @Dense(units = 2, activation = Activation.SOFTMAX)
                    @Output(loss = Loss.SPARSE_CATEGORICAL_CROSSENTROPY) Tensor tag(Tensor states);
                }
                """, "lstm.Reviews", """
                package lstm;
                import dev.kiln.dsl.*;
                @Model interface Reviews {
                    @Input(shape = 6, dtype = DType.INT32) Tensor words();
                    @Embedding(inputDim = 3, outputDim = 4) Tensor vectors(Tensor words);
                    @LSTM(units = 3, goBackwards = true) Tensor summary(Tensor vectors);
                    @Dense(units = 1, activation = Activation.SIGMOID)
                    @Output(loss = Loss.BINARY_CROSSENTROPY) Tensor positive(Tensor summary);
                }
                """, "lstm.Frozen", """
                package lstm;
                import dev.kiln.dsl.*;
                @Model interface Frozen {
                    @Input(shape = {4, 2}) Tensor x();
                    @Dense(units = 3, activation = Activation.TANH) Tensor h(Tensor x);
                    @LSTM(units = 2, trainable = false) Tensor s(Tensor h);
                    @Dense(units = 1) @Output(loss = Loss.MEAN_SQUARED_ERROR) Tensor y(Tensor s);
                }
                """, "lstm.One", """
                package lstm;
                import dev.kiln.dsl.*;
                @Model interface One {
                    @Input(shape = {2, 1}) Tensor x();
                    @LSTM(units = 1) @Output Tensor h(Tensor x);
                }
                """);
    }

    @Test
    void weightsHaveKerasLayoutsAndTheForgetBiasStartsAtOne() {
        KilnModel m = LayerTesting.model(loader, "lstm.TaggerModel");
        Map<String, INDArray> w = m.getWeights();
        assertArrayEquals(new long[] {3, 16}, w.get("states/kernel").shape());
        assertArrayEquals(new long[] {4, 16}, w.get("states/recurrent_kernel").shape());
        assertArrayEquals(new double[] {0, 0, 0, 0, 1, 1, 1, 1, 0, 0, 0, 0, 0, 0, 0, 0},
                w.get("states/bias").data().asDouble(), 0, "blocks [i, f, c, o]; unit_forget_bias");
        // Keras: 4 * (units * (features + units) + units)
        assertEquals(4 * (4 * (3 + 4) + 4) + (4 * 2 + 2), m.countParams());
    }

    @Test
    void twoStepsByHand() {
        KilnModel m = LayerTesting.model(loader, "lstm.OneModel");
        m.setWeights(OneUnitLstm.weights("h"));
        assertEquals(OneUnitLstm.run(0, 0, 1.5, -0.7)[0], LayerTesting.predictOne(m, new double[] {1.5, -0.7}, 2, 1)[0],
                1e-15);
    }

    @Test
    void gradientsOverSequencesOfAnyLength() {
        KilnModel m = LayerTesting.model(loader, "lstm.TaggerModel");
        for (int steps : new int[] {1, 5}) {
            INDArray x = Nd4j.rand(DataType.DOUBLE, 2, steps, 3).subi(0.5);
            INDArray y = Nd4j.zeros(DataType.DOUBLE, 2, steps);
            GradientCheck.Result r = GradientCheck.check(m, new INDArray[] {x}, new INDArray[] {y}, 40, 1e-6, 5);
            assertTrue(r.passed(), () -> steps + " steps: " + r.failures());
            assertArrayEquals(new long[] {2, steps, 2}, m.predictBatch(new INDArray[] {x})[0].shape());
        }
    }

    @Test
    void gradientsFromIdsBackwardsAndFrozen() {
        LayerTesting.assertGradientsMatch(LayerTesting.model(loader, "lstm.ReviewsModel"), "Embedding + LSTM");
        KilnModel frozen = LayerTesting.model(loader, "lstm.FrozenModel");
        LayerTesting.assertGradientsMatch(frozen, "frozen LSTM");
        frozen.computeGradients(new INDArray[] {Nd4j.rand(DataType.DOUBLE, 2, 4, 2)},
                new INDArray[] {Nd4j.rand(DataType.DOUBLE, 2, 1)}, false);
        assertTrue(frozen.gradients().get("h/kernel").norm2Number().doubleValue() > 0,
                "the gradient passes through the frozen LSTM to the layer before it");
    }

    @Test
    void aFlatInputIsAnErrorOnTheParameter() {
        String source = """
                package demo;
                import dev.kiln.dsl.*;
                @Model interface Net {
                    @Input(shape = 8) Tensor x();
                    @LSTM(units = 4) @Output Tensor y(Tensor x);
                }
                """;
        Compilation c = Diagnosed.compile("demo.Net", source);
        Diagnosed.assertAt(Diagnosed.only(c), Diagnostic.Kind.ERROR, source, "x);", "[kiln/ShapeMismatch] LSTM 'y'"
                + " reads a sequence of shape (steps, features), but 'x' has shape (8).\n"
                + "      x  @Input(shape = 8)  (8)\n"
                + "  Give it one vector per step, e.g. @Input(shape = {Input.NONE, 16}), or an Embedding of ids.");
    }

    @Test
    void generatedCodeRunsTheWholeSequenceInOneKernelCall() {
        Compilation c = ModelCompiler.compile("lstm.One", """
                package lstm;
                import dev.kiln.dsl.*;
                @Model interface One {
                    @Input(shape = {2, 1}) Tensor x();
                    @LSTM(units = 1) @Output Tensor h(Tensor x);
                }
                """);
        String code = ModelCompiler.generatedSource(c, "lstm.OneModel");
        assertTrue(code.contains("LSTMKernel.forward(x, null, hKernel, hRecurrentKernel, hBias"), code);
    }
}
