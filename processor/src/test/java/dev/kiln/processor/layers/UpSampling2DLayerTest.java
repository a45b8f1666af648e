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
                """, "upsample.Row", """
                package upsample;
                import dev.kiln.dsl.*;
                @Model interface Row {
                    @Input(shape = {1, 3, 1}) Tensor x();
                    @UpSampling2D(size = {1, 3}, interpolation = Interpolation.BILINEAR) Tensor p(Tensor x);
                    @Flatten @Output Tensor y(Tensor p);
                }
                """, "upsample.Square", """
                package upsample;
                import dev.kiln.dsl.*;
                @Model interface Square {
                    @Input(shape = {2, 2, 1}) Tensor x();
                    @UpSampling2D(interpolation = Interpolation.BILINEAR) Tensor p(Tensor x);
                    @Flatten @Output Tensor y(Tensor p);
                }
                """, "upsample.Channels", """
                package upsample;
                import dev.kiln.dsl.*;
                @Model interface Channels {
                    @Input(shape = {3, 4, 2}) Tensor x();
                    @UpSampling2D(size = {2, 3}, interpolation = Interpolation.BILINEAR) Tensor p(Tensor x);
                    @Flatten @Output Tensor y(Tensor p);
                }
                """, "upsample.Bilinear", """
                package upsample;
                import dev.kiln.dsl.*;
                @Model interface Bilinear {
                    @Input(shape = {2, 3, 2}) Tensor x();
                    @Dense(units = 2, activation = Activation.TANH) Tensor h(Tensor x);
                    @UpSampling2D(interpolation = Interpolation.BILINEAR) Tensor p(Tensor h);
                    @UpSampling2D(size = {3, 1}, interpolation = Interpolation.BILINEAR) Tensor q(Tensor h);
                    @UpSampling2D(size = {1, 4}, interpolation = Interpolation.BILINEAR) Tensor r(Tensor p);
                    @Flatten Tensor fr(Tensor r);
                    @Flatten Tensor fq(Tensor q);
                    @Concatenate Tensor cat(Tensor fr, Tensor fq);
                    @Dense(units = 2) @Output(loss = Loss.MEAN_SQUARED_ERROR) Tensor y(Tensor cat);
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
    void bilinearInterpolatesAtHalfPixelCentres() {
        // size 3 on 1, 2, 4: cell o reads (o + 0.5) / 3 - 0.5 = -1/3, 0, 1/3, 2/3, 1, 4/3, 5/3, 2, 7/3 (clamped ends)
        assertArrayEquals(new double[] {1, 1, 4.0 / 3, 5.0 / 3, 2, 2 + 2.0 / 3, 2 + 4.0 / 3, 4, 4},
                LayerTesting.predictOne(LayerTesting.model(loader, "upsample.RowModel"), new double[] {1, 2, 4}, 1, 3,
                        1), 1e-12);
        // size 2 on [[1, 2], [3, 4]]: rows and columns read -0.25, 0.25, 0.75, 1.25, i.e. weights (1), (3/4, 1/4),
        // (1/4, 3/4), (1) on the two pixels
        assertArrayEquals(new double[] {
            1, 1.25, 1.75, 2,
            1.5, 1.75, 2.25, 2.5,
            2.5, 2.75, 3.25, 3.5,
            3, 3.25, 3.75, 4}, LayerTesting.predictOne(LayerTesting.model(loader, "upsample.SquareModel"),
                        new double[] {1, 2, 3, 4}, 2, 2, 1), 1e-12);
    }

    @Test
    void bilinearMatchesNaiveLoops() {
        java.util.SplittableRandom random = new java.util.SplittableRandom(8);
        double[] x = random.doubles(3 * 4 * 2, -1, 1).toArray();
        double[] expected = new double[6 * 12 * 2];
        for (int oy = 0; oy < 6; oy++) {
            // TensorFlow's half-pixel scaler: in = (out + 0.5) * (in_size / out_size) - 0.5, floor and ceil clamped
            double sy = (oy + 0.5) * 3 / 6 - 0.5;
            int y0 = Math.max((int) Math.floor(sy), 0);
            int y1 = Math.min((int) Math.ceil(sy), 2);
            double ty = sy - Math.floor(sy);
            for (int ox = 0; ox < 12; ox++) {
                double sx = (ox + 0.5) * 4 / 12 - 0.5;
                int x0 = Math.max((int) Math.floor(sx), 0);
                int x1 = Math.min((int) Math.ceil(sx), 3);
                double tx = sx - Math.floor(sx);
                for (int c = 0; c < 2; c++) {
                    double top = x[(y0 * 4 + x0) * 2 + c] + (x[(y0 * 4 + x1) * 2 + c] - x[(y0 * 4 + x0) * 2 + c]) * tx;
                    double bottom = x[(y1 * 4 + x0) * 2 + c] + (x[(y1 * 4 + x1) * 2 + c] - x[(y1 * 4 + x0) * 2 + c]) * tx;
                    expected[(oy * 12 + ox) * 2 + c] = top + (bottom - top) * ty;
                }
            }
        }
        assertArrayEquals(expected, LayerTesting.predictOne(LayerTesting.model(loader, "upsample.ChannelsModel"), x, 3,
                4, 2), 1e-5);
    }

    @Test
    void bilinearGradientsMatchFiniteDifferencesAndTheReference() {
        LayerTesting.assertGradientsMatch(LayerTesting.model(loader, "upsample.BilinearModel"),
                "UpSampling2D bilinear, sizes 2, (3, 1), (1, 4)");
    }

    @Test
    void gradientsMatchFiniteDifferencesAndTheReference() {
        LayerTesting.assertGradientsMatch(LayerTesting.model(loader, "upsample.TrainedModel"), "UpSampling2D");
    }
}
