package dev.kiln.processor.layers;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;

import com.google.testing.compile.Compilation;
import dev.kiln.processor.Diagnosed;
import dev.kiln.processor.LayerTesting;
import javax.tools.Diagnostic;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** {@code @ReLU}: Keras's documented values, gradients in every region, and its attribute rules. */
class ReLULayerTest {
    private static ClassLoader loader;

    @BeforeAll
    static void compile() {
        loader = LayerTesting.compile("relu.Keras", """
                package relu;
                import dev.kiln.dsl.*;
                @Model interface Keras {
                    @Input(shape = 5) Tensor x();
                    @ReLU(maxValue = 10, negativeSlope = 0.5) @Output Tensor y(Tensor x);
                }
                """, "relu.Thresholded", """
                package relu;
                import dev.kiln.dsl.*;
                @Model interface Thresholded {
                    @Input(shape = 4) Tensor x();
                    @ReLU(threshold = 1.5) @Output Tensor y(Tensor x);
                }
                """, "relu.Plain", """
                package relu;
                import dev.kiln.dsl.*;
                @Model interface Plain {
                    @Input(shape = {3, 5}) Tensor x();
                    @Dense(units = 5) Tensor h(Tensor x);
                    @ReLU Tensor r(Tensor h);
                    @Flatten Tensor f(Tensor r);
                    @Dense(units = 2) @Output(loss = Loss.MEAN_SQUARED_ERROR) Tensor y(Tensor f);
                }
                """, "relu.Six", """
                package relu;
                import dev.kiln.dsl.*;
                @Model interface Six {
                    @Input(shape = 6) Tensor x();
                    @Dense(units = 6) Tensor h(Tensor x);
                    @ReLU(maxValue = 0.5, negativeSlope = 0.2, threshold = -0.0) Tensor r(Tensor h);
                    @Dense(units = 2) @Output(loss = Loss.MEAN_SQUARED_ERROR) Tensor y(Tensor r);
                }
                """);
    }

    @Test
    void kerasDocumentedValues() {
        // keras.layers.ReLU(max_value=10, negative_slope=0.5, threshold=0) on [-10, -5, 0, 5, 10]
        assertArrayEquals(new double[] {-5, -2.5, 0, 5, 10}, LayerTesting.predictOne(
                LayerTesting.model(loader, "relu.KerasModel"), new double[] {-10, -5, 0, 5, 10}, 5), 0);
        // tf.keras.layers.ReLU(threshold=1.5) on [-3, -1, 1, 2]: at or below the threshold, 0
        assertArrayEquals(new double[] {0, 0, 0, 2}, LayerTesting.predictOne(
                LayerTesting.model(loader, "relu.ThresholdedModel"), new double[] {-3, -1, 1, 2}, 4), 0);
    }

    @Test
    void gradientsMatchFiniteDifferencesAndTheReference() {
        LayerTesting.assertGradientsMatch(LayerTesting.model(loader, "relu.PlainModel"), "ReLU()");
        LayerTesting.assertGradientsMatch(LayerTesting.model(loader, "relu.SixModel"), "ReLU(0.5, 0.2)");
    }

    @Test
    void negativeMaxValueIsAnErrorOnTheAttribute() {
        String source = """
                package demo;
                import dev.kiln.dsl.*;
                @Model interface Net {
                    @Input(shape = 4) Tensor x();
                    @ReLU(maxValue = -1) @Output Tensor y(Tensor x);
                }
                """;
        Compilation c = Diagnosed.compile("demo.Net", source);
        Diagnosed.assertAt(Diagnosed.only(c), Diagnostic.Kind.ERROR, source, "-1)", "[kiln/IllegalAttribute] ReLU 'y'"
                + " has maxValue = -1.0, but maxValue is the largest output and must be >= 0, as in Keras.");
    }
}
