package dev.kiln.processor.layers;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;

import dev.kiln.processor.LayerTesting;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** {@code @UpSampling2D}: nearest repetition along each axis, and gradients summing each block. */
class UpSampling2DLayerTest {
    private static ClassLoader loader;

    @BeforeAll
    static void compile() {
        loader = LayerTesting.compile("upsample.Pixels", """
                package upsample;
                import dev.kiln.dsl.*;
                @Model interface Pixels {
                    @Input(shape = {2, 2, 1}) Tensor x();
                    @UpSampling2D(size = {1, 2}) Tensor p(Tensor x);
                    @Flatten @Output Tensor y(Tensor p);
                }
                """, "upsample.Trained", """
                package upsample;
                import dev.kiln.dsl.*;
                @Model interface Trained {
                    @Input(shape = {2, 3, 2}) Tensor x();
                    @Dense(units = 2, activation = Activation.TANH) Tensor h(Tensor x);
                    @UpSampling2D Tensor p(Tensor h);
                    @UpSampling2D(size = {3, 1}) Tensor q(Tensor h);
                    @Flatten Tensor fp(Tensor p);
                    @Flatten Tensor fq(Tensor q);
                    @Concatenate Tensor cat(Tensor fp, Tensor fq);
                    @Dense(units = 2) @Output(loss = Loss.MEAN_SQUARED_ERROR) Tensor y(Tensor cat);
                }
                """);
    }

    @Test
    void repeatsEachPixel() {
        assertArrayEquals(new double[] {1, 1, 2, 2, 3, 3, 4, 4}, LayerTesting.predictOne(LayerTesting.model(loader,
                "upsample.PixelsModel"), new double[] {1, 2, 3, 4}, 2, 2, 1), 0);
    }

    @Test
    void gradientsMatchFiniteDifferencesAndTheReference() {
        LayerTesting.assertGradientsMatch(LayerTesting.model(loader, "upsample.TrainedModel"), "UpSampling2D");
    }
}
