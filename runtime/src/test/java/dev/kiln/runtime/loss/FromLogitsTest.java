package dev.kiln.runtime.loss;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import dev.kiln.dsl.Loss;
import org.junit.jupiter.api.Test;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/**
 * Cross-entropies from logits against naive formulas, to 1e-6 relative, with logits of +-20 and +-80 where the
 * probability form saturates; gradients against central differences of the loss itself.
 */
class FromLogitsTest {
    /** {@code log(1 + e^x)} as written: exact enough in double for |x| <= 80 (the error is below 1e-34). */
    private static double softplus(double x) {
        return Math.log(1 + Math.exp(x));
    }

    private static void assertRelative(double expected, double actual, String what) {
        assertEquals(expected, actual, Math.max(1e-12, Math.abs(expected) * 1e-6), what);
    }

    @Test
    void binaryMatchesTheNaiveFormulaAtLargeLogits() {
        double[] logits = {-80, -20, -1.5, 0, 2, 20, 80};
        double[] targets = {0, 1, 1, 0, 1, 0, 1};
        double expected = 0;
        for (int i = 0; i < logits.length; i++) {
            // -t log(sigmoid(z)) - (1 - t) log(1 - sigmoid(z)) = t softplus(-z) + (1 - t) softplus(z)
            expected += targets[i] * softplus(-logits[i]) + (1 - targets[i]) * softplus(logits[i]);
        }
        expected /= logits.length;
        INDArray z = Nd4j.create(logits, new long[] {1, 7}, 'c');
        INDArray t = Nd4j.create(targets, new long[] {1, 7}, 'c');
        assertRelative(expected, Losses.fromLogits(Loss.BINARY_CROSSENTROPY, z, t, null, 0), "binary");
        // the case: logit 20 with target 0 costs 20.000000002, not the clipped float32 16.118
        assertRelative(20.000000002061154, Losses.fromLogits(Loss.BINARY_CROSSENTROPY,
                Nd4j.create(new double[] {20}, new long[] {1, 1}, 'c'), Nd4j.zeros(DataType.DOUBLE, 1, 1), null, 0),
                "logit 20");
    }

    @Test
    void categoricalAndSparseMatchLogSumExpAtLargeLogits() {
        double[][] logits = {{80, -80, 0}, {-20, 20, 19}, {0.5, -1, 2}};
        int[] classes = {1, 2, 0};
        double expected = 0;
        for (int r = 0; r < 3; r++) {
            double max = Math.max(logits[r][0], Math.max(logits[r][1], logits[r][2]));
            double sum = 0;
            for (double v : logits[r]) {
                sum += Math.exp(v - max);
            }
            expected += max + Math.log(sum) - logits[r][classes[r]];
        }
        expected /= 3;
        INDArray z = Nd4j.create(logits);
        INDArray ids = Nd4j.create(new double[] {1, 2, 0}, new long[] {3}, 'c');
        INDArray oneHot = Nd4j.zeros(DataType.DOUBLE, 3, 3);
        for (int r = 0; r < 3; r++) {
            oneHot.putScalar(r, classes[r], 1.0);
        }
        assertRelative(expected, Losses.fromLogits(Loss.SPARSE_CATEGORICAL_CROSSENTROPY, z, ids, null, 0), "sparse");
        assertRelative(expected, Losses.fromLogits(Loss.CATEGORICAL_CROSSENTROPY, z, oneHot, null, 0), "categorical");
    }

    @Test
    void gradientsMatchCentralDifferences() {
        double[][] logits = {{1.2, -0.4, 3.0}, {-2.0, 0.1, 0.7}};
        INDArray soft = Nd4j.create(new double[][] {{0.2, 0.3, 0.5}, {0, 1, 0}});
        INDArray ids = Nd4j.create(new double[] {2, 0}, new long[] {2}, 'c');
        INDArray binary = Nd4j.create(new double[][] {{1, 0, 1}, {0, 0, 1}});
        for (Loss loss : new Loss[] {Loss.CATEGORICAL_CROSSENTROPY, Loss.SPARSE_CATEGORICAL_CROSSENTROPY,
                Loss.BINARY_CROSSENTROPY}) {
            INDArray t = loss == Loss.CATEGORICAL_CROSSENTROPY ? soft
                    : loss == Loss.SPARSE_CATEGORICAL_CROSSENTROPY ? ids : binary;
            INDArray z = Nd4j.create(logits);
            INDArray g = z.ulike();
            Losses.fromLogits(loss, z, t, g, 0.7);
            for (int i = 0; i < 6; i++) {
                double v = z.getDouble(i);
                z.putScalar(i, v + 1e-6);
                double up = Losses.fromLogits(loss, z, t, null, 0);
                z.putScalar(i, v - 1e-6);
                double down = Losses.fromLogits(loss, z, t, null, 0);
                z.putScalar(i, v);
                assertEquals(0.7 * (up - down) / 2e-6, g.getDouble(i), 1e-8, loss + " element " + i);
            }
        }
    }

    @Test
    void aRegressionLossTakesNoLogits() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> Losses.fromLogits(
                Loss.MEAN_SQUARED_ERROR, Nd4j.zeros(DataType.DOUBLE, 1, 1), Nd4j.zeros(DataType.DOUBLE, 1, 1), null, 0));
        assertEquals("MEAN_SQUARED_ERROR is not a cross-entropy: only cross-entropies take logits", e.getMessage());
    }
}
