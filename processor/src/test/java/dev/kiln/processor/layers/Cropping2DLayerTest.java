package dev.kiln.processor.layers;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;

import com.google.testing.compile.Compilation;
import dev.kiln.processor.Diagnosed;
import dev.kiln.processor.LayerTesting;
import java.util.stream.IntStream;
import javax.tools.Diagnostic;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** {@code @Cropping2D}: the inside as written, gradients, a crop that leaves nothing. */
class Cropping2DLayerTest {
    private static ClassLoader loader;

    @BeforeAll
    static void compile() {
        loader = LayerTesting.compile("crop.Sides", """
                package crop;
                import dev.kiln.dsl.*;
                @Model interface Sides {
                    @Input(shape = {3, 4, 1}) Tensor x();
                    @Cropping2D(cropping = {1, 0, 1, 2}) Tensor p(Tensor x);
                    @Flatten @Output Tensor y(Tensor p);
                }
                """, "crop.Trained", """
                package crop;
                import dev.kiln.dsl.*;
                @Model interface Trained {
                    @Input(shape = {5, 4, 2}) Tensor x();
                    @Dense(units = 2, activation = Activation.TANH) Tensor h(Tensor x);
                    @Cropping2D(cropping = 1) Tensor p(Tensor h);
                    @Cropping2D(cropping = {2, 1}) Tensor q(Tensor h);
                    @Flatten Tensor fp(Tensor p);
                    @Flatten Tensor fq(Tensor q);
                    @Concatenate Tensor cat(Tensor fp, Tensor fq);
                    @Dense(units = 2) @Output(loss = Loss.MEAN_SQUARED_ERROR) Tensor y(Tensor cat);
                }
                """);
    }

    @Test
    void keepsTheInside() {
        double[] pixels = IntStream.rangeClosed(1, 12).asDoubleStream().toArray();
        // rows 1..2, column 1 of 1 2 3 4 / 5 6 7 8 / 9 10 11 12
        assertArrayEquals(new double[] {6, 10}, LayerTesting.predictOne(LayerTesting.model(loader,
                "crop.SidesModel"), pixels, 3, 4, 1), 0);
    }

    @Test
    void gradientsMatchFiniteDifferencesAndTheReference() {
        LayerTesting.assertGradientsMatch(LayerTesting.model(loader, "crop.TrainedModel"), "Cropping2D");
    }

    @Test
    void croppingEverythingIsAnError() {
        String source = """
                package demo;
                import dev.kiln.dsl.*;
                @Model interface Net {
                    @Input(shape = {4, 6, 1}) Tensor x();
                    @Cropping2D(cropping = {2, 1}) Tensor p(Tensor x);
                    @Flatten @Output Tensor y(Tensor p);
                }
                """;
        Compilation c = Diagnosed.compile("demo.Net", source);
        Diagnosed.assertAt(Diagnosed.only(c), Diagnostic.Kind.ERROR, source, "{2, 1}", "[kiln/ShapeMismatch]"
                + " Cropping2D 'p' has cropping = [2, 1], which cuts 4 rows off its input 'x' of shape (4, 6, 1),"
                + " leaving nothing. Crop less.");
    }
}
