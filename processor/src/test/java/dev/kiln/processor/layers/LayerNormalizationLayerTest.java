package dev.kiln.processor.layers;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.kiln.processor.LayerTesting;
import dev.kiln.runtime.KilnModel;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** {@code @LayerNormalization}: each row by its own statistics, hand-computed; gradients over a sequence. */
class LayerNormalizationLayerTest {
    private static ClassLoader loader;

    @BeforeAll
    static void compile() {
        loader = LayerTesting.compile("ln.Values", """
                package ln;
                import dev.kiln.dsl.*;
                @Model interface Values {
                    @Input(shape = 4) Tensor x();
                    @LayerNormalization @Output Tensor y(Tensor x);
                }
                """, "ln.Steps", """
                package ln;
                import dev.kiln.dsl.*;
                @Model interface Steps {
                    @Input(shape = {3, 5}) Tensor x();
                    @Dense(units = 5) Tensor h(Tensor x);
                    @LayerNormalization(epsilon = 0.01) Tensor n(Tensor h);
                    @Dense(units = 2) @Output(loss = Loss.MEAN_SQUARED_ERROR) Tensor y(Tensor n);
                }
                """);
    }

    @Test
    void eachRowByItsOwnMeanAndVariance() {
        KilnModel m = LayerTesting.model(loader, "ln.ValuesModel");
        // [1, 2, 3, 6]: mean 3, biased variance (4 + 1 + 0 + 9) / 4 = 3.5
        double std = Math.sqrt(3.5 + 1e-3);
        assertArrayEquals(new double[] {-2 / std, -1 / std, 0, 3 / std},
                LayerTesting.predictOne(m, new double[] {1, 2, 3, 6}, 4), 1e-12);
        assertEquals(8, m.countParams(), "Keras: gamma and beta, 4 each");
    }

    @Test
    void gradientsMatchFiniteDifferencesAndTheReference() {
        LayerTesting.assertGradientsMatch(LayerTesting.model(loader, "ln.StepsModel"), "LayerNormalization");
    }
}
