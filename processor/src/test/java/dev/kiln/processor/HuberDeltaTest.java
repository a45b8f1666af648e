package dev.kiln.processor;

import static org.junit.jupiter.api.Assertions.assertEquals;

import com.google.testing.compile.Compilation;
import dev.kiln.runtime.KilnModel;
import javax.tools.Diagnostic;
import org.junit.jupiter.api.Test;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/**
 * {@code @Output(loss = HUBER, huberDelta = ...)}: Keras's {@code Huber(delta)}, quadratic up to delta and linear
 * beyond, averaged over the batch; gradients match finite differences; the attribute's misuses are diagnosed on it.
 */
class HuberDeltaTest {
    private static final String MODEL = """
            package huber;
            import dev.kiln.dsl.*;
            @Model interface Robust {
                @Input(shape = 3) Tensor x();
                @Dense(units = 4, activation = Activation.TANH) Tensor hidden(Tensor x);
                @Dense(units = 2) @Output(loss = Loss.HUBER, huberDelta = 2.5) Tensor y(Tensor hidden);
            }
            """;

    @Test
    void theLossIsKerasHuberWithTheGivenDelta() {
        KilnModel m = LayerTesting.model(LayerTesting.compile("huber.Robust", MODEL), "huber.RobustModel");
        INDArray x = Nd4j.rand(DataType.DOUBLE, 4, 3);
        INDArray y = m.predictBatch(new INDArray[] {x})[0].dup();
        // errors of 0.5, -1, 3 and -6 and so on, on both sides of delta = 2.5
        double[] errors = {0.5, -1, 3, -6, 2.5, 0, -2.4, 10};
        INDArray target = y.sub(Nd4j.create(errors, new long[] {4, 2}, 'c'));
        double expected = 0;
        for (double e : errors) {
            double a = Math.abs(e);
            expected += a <= 2.5 ? 0.5 * e * e : 2.5 * (a - 0.5 * 2.5);
        }
        expected /= errors.length;
        assertEquals(expected, m.testStep(new INDArray[] {x}, new INDArray[] {target}).loss(), 1e-12);
        LayerTesting.assertGradientsMatch(m, "huber delta 2.5");
    }

    private static void assertDiagnostic(String output, String marker, String message) {
        String source = """
                package demo;
                import dev.kiln.dsl.*;
                @Model interface Net {
                    @Input(shape = 4) Tensor x();
                    @Dense(units = 2) %s Tensor y(Tensor x);
                }
                """.formatted(output);
        Compilation c = Diagnosed.compile("demo.Net", source);
        Diagnosed.assertAt(Diagnosed.only(c), Diagnostic.Kind.ERROR, source, marker, message);
    }

    @Test
    void aDeltaOnAnotherLossIsAnError() {
        assertDiagnostic("@Output(loss = Loss.MEAN_SQUARED_ERROR, huberDelta = 2.0)", "2.0)",
                "[kiln/IllegalAttribute] output 'y' has huberDelta = 2.0, but its loss is mean_squared_error; only"
                        + " loss = HUBER has a delta. Drop huberDelta, or use loss = HUBER.");
    }

    @Test
    void aDeltaThatIsNotPositiveIsAnError() {
        assertDiagnostic("@Output(loss = Loss.HUBER, huberDelta = 0)", "0)",
                "[kiln/IllegalAttribute] output 'y' has huberDelta = 0.0; the delta where the Huber loss turns linear"
                        + " must be a positive finite number, e.g. 1.0 (Keras's default).");
    }
}
