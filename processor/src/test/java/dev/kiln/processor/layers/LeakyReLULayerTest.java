package dev.kiln.processor.layers;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;

import com.google.testing.compile.Compilation;
import dev.kiln.processor.Diagnosed;
import dev.kiln.processor.LayerTesting;
import javax.tools.Diagnostic;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** {@code @LeakyReLU}: Keras 3's default slope 0.3 (while the LEAKY_RELU activation keeps 0.2), gradients, rules. */
class LeakyReLULayerTest {
    private static ClassLoader loader;

    @BeforeAll
    static void compile() {
        loader = LayerTesting.compile("leaky.Defaults", """
                package leaky;
                import dev.kiln.dsl.*;
                @Model interface Defaults {
                    @Input(shape = 4) Tensor x();
                    @LeakyReLU @Output Tensor layer(Tensor x);
                    @ActivationLayer(Activation.LEAKY_RELU) @Output Tensor function(Tensor x);
                }
                """, "leaky.Half", """
                package leaky;
                import dev.kiln.dsl.*;
                @Model interface Half {
                    @Input(shape = 5) Tensor x();
                    @LeakyReLU(negativeSlope = 0.5) @Output Tensor y(Tensor x);
                }
                """, "leaky.Trained", """
                package leaky;
                import dev.kiln.dsl.*;
                @Model interface Trained {
                    @Input(shape = 6) Tensor x();
                    @Dense(units = 6) Tensor h(Tensor x);
                    @LeakyReLU(negativeSlope = 0.1) Tensor r(Tensor h);
                    @Dense(units = 3, activation = Activation.SOFTMAX)
                    @Output(loss = Loss.CATEGORICAL_CROSSENTROPY) Tensor y(Tensor r);
                }
                """);
    }

    @Test
    void theLayerDefaultsToPointThreeAndTheActivationToPointTwo() {
        var model = LayerTesting.model(loader, "leaky.DefaultsModel");
        var x = org.nd4j.linalg.factory.Nd4j.create(new double[] {-3, -1, 0, 2}, new long[] {1, 4}, 'c');
        var out = model.predictBatch(new org.nd4j.linalg.api.ndarray.INDArray[] {x});
        // keras.layers.LeakyReLU() on [-3, -1, 0, 2]; keras.activations.leaky_relu defaults to 0.2
        assertArrayEquals(new double[] {-0.9, -0.3, 0, 2}, out[0].data().asDouble(), 1e-15);
        assertArrayEquals(new double[] {-0.6, -0.2, 0, 2}, out[1].data().asDouble(), 1e-15);
    }

    @Test
    void kerasDocumentedValues() {
        // keras.layers.LeakyReLU(negative_slope=0.5) on [-10, -5, 0, 5, 10]
        assertArrayEquals(new double[] {-5, -2.5, 0, 5, 10}, LayerTesting.predictOne(
                LayerTesting.model(loader, "leaky.HalfModel"), new double[] {-10, -5, 0, 5, 10}, 5), 0);
    }

    @Test
    void gradientsMatchFiniteDifferencesAndTheReference() {
        LayerTesting.assertGradientsMatch(LayerTesting.model(loader, "leaky.TrainedModel"), "LeakyReLU(0.1)");
    }

    @Test
    void negativeSlopeIsAnErrorOnTheAttribute() {
        String source = """
                package demo;
                import dev.kiln.dsl.*;
                @Model interface Net {
                    @Input(shape = 4) Tensor x();
                    @LeakyReLU(negativeSlope = -0.2) @Output Tensor y(Tensor x);
                }
                """;
        Compilation c = Diagnosed.compile("demo.Net", source);
        Diagnosed.assertAt(Diagnosed.only(c), Diagnostic.Kind.ERROR, source, "-0.2)", "[kiln/IllegalAttribute]"
                + " LeakyReLU 'y' has negativeSlope = -0.2, but the slope below zero must be >= 0, as in Keras. Use e.g."
                + " @LeakyReLU(negativeSlope = 0.1).");
    }
}
