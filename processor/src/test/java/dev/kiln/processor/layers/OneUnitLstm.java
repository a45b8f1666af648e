package dev.kiln.processor.layers;

import java.util.Map;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/**
 * An LSTM of one unit on one feature with fixed weights, and Keras's cell equations for it written out: the tests set
 * these weights on a model and compare its states with {@link #run}'s.
 */
final class OneUnitLstm {
    private OneUnitLstm() {
    }

    /** The weights of node {@code node}: kernel {@code [i, f, c, o]}, recurrent kernel, bias. */
    static Map<String, INDArray> weights(String node) {
        return Map.of(node + "/kernel", Nd4j.create(new double[][] {{0.5, -0.3, 0.8, 0.1}}),
                node + "/recurrent_kernel", Nd4j.create(new double[][] {{0.2, 0.4, -0.6, 0.3}}),
                node + "/bias", Nd4j.create(new double[] {0.1, 1.0, 0.0, -0.2}));
    }

    /** The final {@code h} and {@code c} after the steps {@code xs}, from {@code h} and {@code c}. */
    static double[] run(double h, double c, double... xs) {
        for (double x : xs) {
            double i = sigmoid(0.5 * x + 0.2 * h + 0.1);
            double f = sigmoid(-0.3 * x + 0.4 * h + 1.0);
            double g = Math.tanh(0.8 * x - 0.6 * h);
            double o = sigmoid(0.1 * x + 0.3 * h - 0.2);
            c = f * c + i * g;
            h = o * Math.tanh(c);
        }
        return new double[] {h, c};
    }

    static double sigmoid(double x) {
        return 1 / (1 + Math.exp(-x));
    }
}
