package dev.kiln.processor.layers;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;

import dev.kiln.processor.LayerTesting;
import java.util.stream.IntStream;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** {@code @AveragePooling2D}: values by hand, same padding dividing by the cells inside, gradients. */
class AveragePooling2DLayerTest {
    private static ClassLoader loader;

    @BeforeAll
    static void compile() {
        loader = LayerTesting.compile("avgpool.Valid", PoolingModels.image("avgpool", "Valid", 4,
                "@AveragePooling2D"), "avgpool.Same", PoolingModels.image("avgpool", "Same", 3,
                "@AveragePooling2D(padding = Padding.SAME)"), "avgpool.Mixed", PoolingModels.mixed("avgpool",
                "AveragePooling2D"));
    }

    @Test
    void averagesEachWindow() {
        double[] pixels = IntStream.rangeClosed(1, 16).asDoubleStream().toArray();
        assertArrayEquals(new double[] {3.5, 5.5, 11.5, 13.5}, LayerTesting.predictOne(LayerTesting.model(loader,
                "avgpool.ValidModel"), pixels, 4, 4, 1), 1e-12);
    }

    @Test
    void samePaddingDividesByTheCellsInside() {
        double[] pixels = IntStream.rangeClosed(1, 9).asDoubleStream().toArray();
        // windows {1, 2, 4, 5}, {3, 6}, {7, 8}, {9}: Keras divides by 4, 2, 2 and 1, not by the window's 4
        assertArrayEquals(new double[] {3, 4.5, 7.5, 9}, LayerTesting.predictOne(LayerTesting.model(loader,
                "avgpool.SameModel"), pixels, 3, 3, 1), 1e-12);
    }

    @Test
    void gradientsMatchFiniteDifferencesAndTheReference() {
        LayerTesting.assertGradientsMatch(LayerTesting.model(loader, "avgpool.MixedModel"), "AveragePooling2D");
    }
}
