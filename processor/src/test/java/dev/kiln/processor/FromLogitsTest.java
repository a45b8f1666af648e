package dev.kiln.processor;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.google.testing.compile.Compilation;
import dev.kiln.runtime.KilnModel;
import javax.tools.Diagnostic;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/**
 * {@code @Output(fromLogits = true)}: the functional-API guide's {@code SparseCategoricalCrossentropy(from_logits=True)}
 * on a linear output compiles, trains on gradients that match finite differences, and predicts logits; the
 * attribute's misuses are diagnosed where they are written.
 */
class FromLogitsTest {
    private static ClassLoader loader;

    @BeforeAll
    static void compile() {
        loader = LayerTesting.compile("logits.Guide", """
                package logits;
                import dev.kiln.dsl.*;
                @Model interface Guide {
                    @Input(shape = 8) Tensor image();
                    @Dense(units = 6, activation = Activation.RELU) Tensor hidden(Tensor image);
                    @Dense(units = 4) @Output(loss = Loss.SPARSE_CATEGORICAL_CROSSENTROPY, fromLogits = true)
                    Tensor digit(Tensor hidden);
                    @Dense(units = 1) @Output(loss = Loss.BINARY_CROSSENTROPY, fromLogits = true, lossWeight = 0.5,
                            metrics = Metric.ACCURACY)
                    Tensor odd(Tensor hidden);
                    @Dense(units = 3) @Output(loss = Loss.CATEGORICAL_CROSSENTROPY, fromLogits = true)
                    Tensor mix(Tensor hidden);
                }
                """);
    }

    @Test
    void gradientsMatchFiniteDifferencesAndTheReference() {
        LayerTesting.assertGradientsMatch(LayerTesting.model(loader, "logits.GuideModel"), "from logits");
    }

    @Test
    void predictionsAreLogits() {
        KilnModel m = LayerTesting.model(loader, "logits.GuideModel");
        var w = m.getWeights();
        w.get("digit/kernel").muli(50);
        m.setWeights(w);
        INDArray x = Nd4j.rand(DataType.DOUBLE, 3, 8).muli(10);
        INDArray digit = m.predictBatch(new INDArray[] {x})[0];
        assertTrue(digit.amaxNumber().doubleValue() > 1, () -> "logits, not probabilities: " + digit);
    }

    /**
     * A sigmoid or softmax output under its cross-entropy is fused, and its loss is taken from the logits the forward
     * pass keeps, as Keras's TensorFlow backend takes it: at logit 12 (target 0) a float32 model reports 12.000006,
     * not the 12.0008 of its rounded probability, and at logit 20 it reports 20, not the 16.118 of the clipped one.
     */
    @Test
    void fusedOutputsReportTheLossFromTheirLogits() {
        ClassLoader fused = LayerTesting.compile("logits.Fused", """
                package logits;
                import dev.kiln.dsl.*;
                @Model interface Fused {
                    @Input(shape = 1) Tensor x();
                    @Dense(units = 1, activation = Activation.SIGMOID) @Output(loss = Loss.BINARY_CROSSENTROPY)
                    Tensor odd(Tensor x);
                    @Dense(units = 2) Tensor scores(Tensor x);
                    @Softmax @Output(loss = Loss.SPARSE_CATEGORICAL_CROSSENTROPY) Tensor digit(Tensor scores);
                }
                """);
        KilnModel m = ModelCompiler.create(fused, "logits.FusedModel", 5, DataType.FLOAT);
        var w = m.getWeights();
        w.get("odd/kernel").assign(1);
        w.get("odd/bias").assign(0);
        w.get("scores/kernel").assign(Nd4j.createFromArray(new float[][] {{4, 0}}));
        w.get("scores/bias").assign(0);
        m.setWeights(w);
        for (double logit : new double[] {12, 20, 80}) {
            INDArray x = Nd4j.createFromArray(new float[][] {{(float) logit}});
            INDArray[] targets = {Nd4j.zeros(DataType.FLOAT, 1, 1), Nd4j.createFromArray(new float[][] {{1}})};
            double[] losses = m.testStep(new INDArray[] {x}, targets).outputLosses();
            double softplus = logit + Math.log1p(Math.exp(-logit)); // -log(1 - sigmoid(z)), stably
            assertEquals(softplus, losses[0], 1e-6 * softplus, () -> "binary cross-entropy at logit " + logit);
            double logSumExp = 4 * logit + Math.log1p(Math.exp(-4 * logit)); // class 1 has logit 0, class 0 has 4z
            assertEquals(logSumExp, losses[1], 1e-6 * logSumExp, () -> "sparse cross-entropy at logit " + 4 * logit);
        }
    }

    private static void assertDiagnostic(String output, String marker, Diagnostic.Kind kind, String message) {
        String source = """
                package demo;
                import dev.kiln.dsl.*;
                @Model interface Net {
                    @Input(shape = 4) Tensor x();
                    %s Tensor y(Tensor x);
                }
                """.formatted(output);
        Compilation c = Diagnosed.compile("demo.Net", source);
        Diagnosed.assertAt(Diagnosed.only(c), kind, source, marker, message);
        assertEquals(kind == Diagnostic.Kind.ERROR ? Compilation.Status.FAILURE : Compilation.Status.SUCCESS,
                c.status());
    }

    @Test
    void fromLogitsOnARegressionLossIsAnError() {
        assertDiagnostic("@Dense(units = 2) @Output(loss = Loss.MEAN_SQUARED_ERROR, fromLogits = true)", "true)",
                Diagnostic.Kind.ERROR, "[kiln/IllegalAttribute] output 'y' has fromLogits = true, but its loss is"
                        + " mean_squared_error; only the cross-entropies take logits. Drop fromLogits, or use a"
                        + " cross-entropy.");
    }

    @Test
    void fromLogitsOnASoftmaxIsAWarning() {
        assertDiagnostic("@Dense(units = 3, activation = Activation.SOFTMAX)"
                + " @Output(loss = Loss.SPARSE_CATEGORICAL_CROSSENTROPY, fromLogits = true)", "true)",
                Diagnostic.Kind.WARNING, "[kiln/LossWarning] output 'y' ends in SOFTMAX, so its values are"
                        + " probabilities, but fromLogits = true reads them as logits and applies a second softmax."
                        + " End 'y' linear (no activation) to keep fromLogits, or drop fromLogits.");
    }
}
