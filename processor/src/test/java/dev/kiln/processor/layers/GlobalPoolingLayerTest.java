package dev.kiln.processor.layers;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;

import dev.kiln.processor.LayerTesting;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** The four global poolings: one value per channel, and gradients. */
class GlobalPoolingLayerTest {
    private static ClassLoader loader;

    @BeforeAll
    static void compile() {
        loader = LayerTesting.compile("global.Images", """
                package global;
                import dev.kiln.dsl.*;
                @Model interface Images {
                    @Input(shape = {2, 2, 2}) Tensor x();
                    @GlobalMaxPooling2D Tensor max(Tensor x);
                    @GlobalAveragePooling2D Tensor mean(Tensor x);
                    @Concatenate @Output Tensor y(Tensor max, Tensor mean);
                }
                """, "global.Steps", """
                package global;
                import dev.kiln.dsl.*;
                @Model interface Steps {
                    @Input(shape = {3, 2}) Tensor x();
                    @GlobalMaxPooling1D Tensor max(Tensor x);
                    @GlobalAveragePooling1D Tensor mean(Tensor x);
                    @Concatenate @Output Tensor y(Tensor max, Tensor mean);
                }
                """, "global.Trained", """
                package global;
                import dev.kiln.dsl.*;
                @Model interface Trained {
                    @Input(shape = {3, 4, 2}) Tensor x();
                    @Dense(units = 3, activation = Activation.TANH) Tensor h(Tensor x);
                    @GlobalMaxPooling2D Tensor max(Tensor h);
                    @GlobalAveragePooling2D Tensor mean(Tensor h);
                    @Reshape(targetShape = {12, 3}) Tensor steps(Tensor h);
                    @GlobalMaxPooling1D Tensor max1(Tensor steps);
                    @GlobalAveragePooling1D Tensor mean1(Tensor steps);
                    @Concatenate Tensor cat(Tensor max, Tensor mean, Tensor max1, Tensor mean1);
                    @Dense(units = 2) @Output(loss = Loss.MEAN_SQUARED_ERROR) Tensor y(Tensor cat);
                }
                """);
    }

    @Test
    void oneValuePerChannel() {
        // channel 0: 1, 3, 5, 7; channel 1: 8, -2, 4, 6
        double[] image = {1, 8, 3, -2, 5, 4, 7, 6};
        assertArrayEquals(new double[] {7, 8, 4, 4}, LayerTesting.predictOne(LayerTesting.model(loader,
                "global.ImagesModel"), image, 2, 2, 2), 1e-12);
        double[] steps = {1, 8, 3, -2, 5, 3};
        assertArrayEquals(new double[] {5, 8, 3, 3}, LayerTesting.predictOne(LayerTesting.model(loader,
                "global.StepsModel"), steps, 3, 2), 1e-12);
    }

    @Test
    void gradientsMatchFiniteDifferencesAndTheReference() {
        LayerTesting.assertGradientsMatch(LayerTesting.model(loader, "global.TrainedModel"), "global pooling");
    }
}
