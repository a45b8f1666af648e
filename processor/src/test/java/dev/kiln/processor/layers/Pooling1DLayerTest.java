package dev.kiln.processor.layers;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;

import dev.kiln.processor.LayerTesting;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** {@code @MaxPooling1D} and {@code @AveragePooling1D}: values by hand along the steps, and gradients. */
class Pooling1DLayerTest {
    private static ClassLoader loader;

    @BeforeAll
    static void compile() {
        loader = LayerTesting.compile("pool1.Max", model("Max", "@MaxPooling1D(poolSize = 3, strides = 2,"
                + " padding = Padding.SAME)"), "pool1.Average", model("Average", "@AveragePooling1D(poolSize = 3,"
                + " strides = 2, padding = Padding.SAME)"), "pool1.Mixed", """
                package pool1;
                import dev.kiln.dsl.*;
                @Model interface Mixed {
                    @Input(shape = {9, 2}) Tensor x();
                    @Dense(units = 3, activation = Activation.TANH) Tensor h(Tensor x);
                    @MaxPooling1D(poolSize = 3, strides = 2, padding = Padding.SAME) Tensor a(Tensor h);
                    @AveragePooling1D(poolSize = 2, strides = 1) Tensor b(Tensor h);
                    @MaxPooling1D Tensor c(Tensor b);
                    @AveragePooling1D(padding = Padding.SAME) Tensor d(Tensor a);
                    @Flatten Tensor fc(Tensor c);
                    @Flatten Tensor fd(Tensor d);
                    @Concatenate Tensor cat(Tensor fc, Tensor fd);
                    @Dense(units = 2) @Output(loss = Loss.MEAN_SQUARED_ERROR) Tensor y(Tensor cat);
                }
                """);
    }

    private static String model(String name, String pooling) {
        return "package pool1;\nimport dev.kiln.dsl.*;\n@Model interface " + name + " {\n"
                + "    @Input(shape = {6, 1}) Tensor x();\n    " + pooling + " Tensor p(Tensor x);\n"
                + "    @Flatten @Output Tensor y(Tensor p);\n}\n";
    }

    @Test
    void windowsOfThreeByTwoWithSamePadding() {
        double[] steps = {1, 6, 2, 5, 3, 4};
        // out = 3, total padding 2 * 2 + 3 - 6 = 1, after: windows {1, 6, 2}, {2, 5, 3}, {3, 4}
        assertArrayEquals(new double[] {6, 5, 4}, LayerTesting.predictOne(LayerTesting.model(loader,
                "pool1.MaxModel"), steps, 6, 1), 0);
        assertArrayEquals(new double[] {3, 10.0 / 3, 3.5}, LayerTesting.predictOne(LayerTesting.model(loader,
                "pool1.AverageModel"), steps, 6, 1), 1e-12);
    }

    @Test
    void gradientsMatchFiniteDifferencesAndTheReference() {
        LayerTesting.assertGradientsMatch(LayerTesting.model(loader, "pool1.MixedModel"), "Pooling1D");
    }
}
