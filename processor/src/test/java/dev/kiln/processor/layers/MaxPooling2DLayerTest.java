package dev.kiln.processor.layers;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;

import com.google.testing.compile.Compilation;
import dev.kiln.processor.Diagnosed;
import dev.kiln.processor.LayerTesting;
import java.util.stream.IntStream;
import javax.tools.Diagnostic;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** {@code @MaxPooling2D}: values by hand, same padding ignoring the padded cells, gradients, diagnostics. */
class MaxPooling2DLayerTest {
    private static ClassLoader loader;

    @BeforeAll
    static void compile() {
        loader = LayerTesting.compile("maxpool.Valid", PoolingModels.image("maxpool", "Valid", 4,
                "@MaxPooling2D"), "maxpool.Same", PoolingModels.image("maxpool", "Same", 3,
                "@MaxPooling2D(padding = Padding.SAME)"), "maxpool.Overlapping", PoolingModels.image("maxpool",
                "Overlapping", 3, "@MaxPooling2D(strides = 1)"), "maxpool.Mixed", PoolingModels.mixed("maxpool",
                "MaxPooling2D"));
    }

    @Test
    void takesTheMaximumOfEachWindow() {
        double[] pixels = IntStream.rangeClosed(1, 16).asDoubleStream().toArray();
        assertArrayEquals(new double[] {6, 8, 14, 16}, LayerTesting.predictOne(LayerTesting.model(loader,
                "maxpool.ValidModel"), pixels, 4, 4, 1), 0);
    }

    @Test
    void samePaddingIgnoresThePaddedCells() {
        double[] negative = IntStream.rangeClosed(1, 9).mapToDouble(i -> -i).toArray();
        // out = ceil(3 / 2) = 2; the zero padding after does not win over negative pixels
        assertArrayEquals(new double[] {-1, -3, -7, -9}, LayerTesting.predictOne(LayerTesting.model(loader,
                "maxpool.SameModel"), negative, 3, 3, 1), 0);
    }

    @Test
    void overlappingWindows() {
        double[] pixels = {1, 9, 2, 3, 4, 5, 8, 6, 7};
        assertArrayEquals(new double[] {9, 9, 8, 7}, LayerTesting.predictOne(LayerTesting.model(loader,
                "maxpool.OverlappingModel"), pixels, 3, 3, 1), 0);
    }

    @Test
    void gradientsMatchFiniteDifferencesAndTheReference() {
        LayerTesting.assertGradientsMatch(LayerTesting.model(loader, "maxpool.MixedModel"), "MaxPooling2D");
        LayerTesting.assertGradientsMatch(LayerTesting.model(loader, "maxpool.OverlappingModel"),
                "MaxPooling2D overlapping");
    }

    @Test
    void aPoolLargerThanItsInputIsAnError() {
        String source = """
                package demo;
                import dev.kiln.dsl.*;
                @Model interface Net {
                    @Input(shape = {2, 5, 1}) Tensor x();
                    @MaxPooling2D(poolSize = 3) Tensor p(Tensor x);
                    @Flatten @Output Tensor y(Tensor p);
                }
                """;
        Compilation c = Diagnosed.compile("demo.Net", source);
        Diagnosed.assertAt(Diagnosed.only(c), Diagnostic.Kind.ERROR, source, "3)", "[kiln/ShapeMismatch] MaxPooling2D"
                + " 'p' has poolSize = [3], but its input 'x' of shape (2, 5, 1) has only 2 along axis 1, so padding ="
                + " VALID leaves no output. Use padding = Padding.SAME or a smaller pool.");
    }

    @Test
    void aZeroStrideIsAnError() {
        String source = """
                package demo;
                import dev.kiln.dsl.*;
                @Model interface Net {
                    @Input(shape = {4, 4, 1}) Tensor x();
                    @MaxPooling2D(strides = {0, 1}) Tensor p(Tensor x);
                    @Flatten @Output Tensor y(Tensor p);
                }
                """;
        Compilation c = Diagnosed.compile("demo.Net", source);
        Diagnosed.assertAt(Diagnosed.only(c), Diagnostic.Kind.ERROR, source, "{0, 1}", "[kiln/IllegalAttribute]"
                + " MaxPooling2D 'p' has strides = [0, 1], but every stride must be at least 1. Use e.g. strides = 1.");
    }
}
