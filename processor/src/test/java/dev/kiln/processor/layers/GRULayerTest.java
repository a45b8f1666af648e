package dev.kiln.processor.layers;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.kiln.processor.LayerTesting;
import dev.kiln.runtime.KilnModel;
import java.util.Map;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/** {@code @GRU}: Keras 3's layout ({@code reset_after}, bias {@code (2, 3u)}), two steps by hand, gradients. */
class GRULayerTest {
    private static ClassLoader loader;

    @BeforeAll
    static void compile() {
        loader = LayerTesting.compile("gru.Encoder", """
                package gru;
                import dev.kiln.dsl.*;
                @Model interface Encoder {
                    @Input(shape = {5, 3}) Tensor steps();
                    @GRU(units = 4, returnSequences = true) Tensor states(Tensor steps);
                    @GRU(units = 2, goBackwards = true, activation = Activation.SOFTSIGN) Tensor last(Tensor states);
                    @Dense(units = 1) @Output(loss = Loss.MEAN_SQUARED_ERROR) Tensor y(Tensor last);
                }
                """, "gru.One", """
                package gru;
                import dev.kiln.dsl.*;
                @Model interface One {
                    @Input(shape = {2, 1}) Tensor x();
                    @GRU(units = 1) @Output Tensor h(Tensor x);
                }
                """);
    }

    @Test
    void weightsHaveKerasLayouts() {
        KilnModel m = LayerTesting.model(loader, "gru.EncoderModel");
        Map<String, INDArray> w = m.getWeights();
        assertArrayEquals(new long[] {3, 12}, w.get("states/kernel").shape());
        assertArrayEquals(new long[] {4, 12}, w.get("states/recurrent_kernel").shape());
        assertArrayEquals(new long[] {2, 12}, w.get("states/bias").shape());
        // Keras 3 (reset_after): 3 * (units * (features + units) + 2 * units)
        assertEquals(3 * (4 * (3 + 4) + 2 * 4) + 3 * (2 * (4 + 2) + 2 * 2) + (2 + 1), m.countParams());
    }

    @Test
    void twoStepsByHand() {
        KilnModel m = LayerTesting.model(loader, "gru.OneModel");
        // blocks [z, r, h]; bias rows: input projection, recurrent projection
        m.setWeights(Map.of("h/kernel", Nd4j.create(new double[][] {{0.5, -0.3, 0.8}}),
                "h/recurrent_kernel", Nd4j.create(new double[][] {{0.2, 0.4, -0.6}}),
                "h/bias", Nd4j.create(new double[][] {{0.1, 0.0, 0.2}, {-0.1, 0.3, 0.05}})));
        double h = 0;
        for (double x : new double[] {1.5, -0.7}) {
            double z = sigmoid(0.5 * x + 0.1 + 0.2 * h - 0.1);
            double r = sigmoid(-0.3 * x + 0.0 + 0.4 * h + 0.3);
            double hh = Math.tanh(0.8 * x + 0.2 + r * (-0.6 * h + 0.05));
            h = z * h + (1 - z) * hh;
        }
        assertEquals(h, LayerTesting.predictOne(m, new double[] {1.5, -0.7}, 2, 1)[0], 1e-15);
    }

    private static double sigmoid(double x) {
        return 1 / (1 + Math.exp(-x));
    }

    @Test
    void gradientsMatchFiniteDifferencesAndTheReference() {
        LayerTesting.assertGradientsMatch(LayerTesting.model(loader, "gru.EncoderModel"), "stacked GRUs");
    }
}
