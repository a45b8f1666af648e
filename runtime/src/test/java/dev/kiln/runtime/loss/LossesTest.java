package dev.kiln.runtime.loss;

import static dev.kiln.runtime.kernel.NdTesting.array;
import static dev.kiln.runtime.kernel.NdTesting.roundToFloat;
import static dev.kiln.runtime.kernel.NdTesting.uniform;
import static dev.kiln.runtime.kernel.NdTesting.values;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.fail;

import dev.kiln.dsl.Loss;
import java.util.Arrays;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * {@link Losses} against double-precision references written here from Keras 3's formulas ({@code
 * keras/src/losses/losses.py}, {@code keras/src/backend/numpy/nn.py}, reduction {@code sum_over_batch_size} from
 * {@code keras/src/losses/loss.py}), and its gradients against central finite differences.
 */
class LossesTest {
    private static final double KERAS_EPSILON = 1e-7;
    private static final double EPS = 1e-6;

    /** Predictions and targets of one case: {@code rows} sample positions of {@code width}, in {@code shape}. */
    record Case(double[] pred, double[] target, long[] shape, long[] targetShape) {
        int width() {
            return (int) shape[shape.length - 1];
        }

        int rows() {
            return pred.length / width();
        }

        INDArray pred(DataType t) {
            return array(t, pred, shape);
        }

        INDArray target(DataType t) {
            return array(t, target, targetShape);
        }
    }

    // ---- references ----

    /** Keras's loss for {@code c}, reduced with sum_over_batch_size (the mean over every sample position). */
    static double reference(Loss loss, Case c) {
        int w = c.width();
        double total = 0;
        for (int r = 0; r < c.rows(); r++) {
            double[] p = Arrays.copyOfRange(c.pred, r * w, (r + 1) * w);
            double[] y = loss == Loss.SPARSE_CATEGORICAL_CROSSENTROPY ? oneHot((int) c.target[r], w)
                    : Arrays.copyOfRange(c.target, r * w, (r + 1) * w);
            total += perSample(loss, p, y);
        }
        return total / c.rows();
    }

    static double[] oneHot(int k, int width) {
        double[] y = new double[width];
        y[k] = 1;
        return y;
    }

    static double clip(double q) {
        return Math.min(Math.max(q, KERAS_EPSILON), 1 - KERAS_EPSILON);
    }

    /** One sample position's loss: the mean over the last axis, or the categorical sum. */
    static double perSample(Loss loss, double[] p, double[] y) {
        int w = p.length;
        double s = 0;
        switch (loss) {
            case MEAN_SQUARED_ERROR:
                for (int j = 0; j < w; j++) {
                    s += (y[j] - p[j]) * (y[j] - p[j]);
                }
                return s / w;
            case MEAN_ABSOLUTE_ERROR:
                for (int j = 0; j < w; j++) {
                    s += Math.abs(y[j] - p[j]);
                }
                return s / w;
            case HUBER:
                for (int j = 0; j < w; j++) {
                    double e = Math.abs(p[j] - y[j]);
                    s += e <= 1 ? 0.5 * e * e : e - 0.5;
                }
                return s / w;
            case BINARY_CROSSENTROPY:
                for (int j = 0; j < w; j++) {
                    double q = clip(p[j]);
                    s += -(y[j] * Math.log(q) + (1 - y[j]) * Math.log(1 - q));
                }
                return s / w;
            case CATEGORICAL_CROSSENTROPY:
            case SPARSE_CATEGORICAL_CROSSENTROPY: {
                double sum = 0;
                for (double v : p) {
                    sum += v;
                }
                for (int j = 0; j < w; j++) {
                    s -= y[j] * Math.log(clip(p[j] / sum));
                }
                return s;
            }
            default:
                throw new AssertionError(loss);
        }
    }

    static double[] softmaxRows(double[] z, int width) {
        double[] out = new double[z.length];
        for (int r = 0; r < z.length; r += width) {
            double s = 0;
            for (int j = 0; j < width; j++) {
                s += Math.exp(z[r + j]);
            }
            for (int j = 0; j < width; j++) {
                out[r + j] = Math.exp(z[r + j]) / s;
            }
        }
        return out;
    }

    static double[] sigmoid(double[] z) {
        double[] out = new double[z.length];
        for (int i = 0; i < z.length; i++) {
            out[i] = 1 / (1 + Math.exp(-z[i]));
        }
        return out;
    }

    // ---- cases ----

    /** Cases for {@code loss}: rank 2 and rank 3 outputs, sparse targets in every accepted shape. */
    static Case[] cases(Loss loss, boolean clipped) {
        int batch = 4;
        int time = 3;
        int width = 5;
        long[][] shapes = {{batch * time, width}, {batch, time, width}};
        Case[] out = new Case[loss == Loss.SPARSE_CATEGORICAL_CROSSENTROPY ? 4 : 2];
        SplittableRandom r = new SplittableRandom(loss.ordinal());
        int k = 0;
        for (long[] shape : shapes) {
            int n = batch * time * width;
            double[] p = new double[n];
            double[] y = new double[n];
            switch (loss) {
                case MEAN_SQUARED_ERROR:
                case MEAN_ABSOLUTE_ERROR:
                case HUBER:
                    for (int i = 0; i < n; i++) {
                        p[i] = r.nextDouble(-3, 3);
                        y[i] = r.nextDouble(-3, 3);
                    }
                    break;
                case BINARY_CROSSENTROPY:
                    for (int i = 0; i < n; i++) {
                        p[i] = r.nextDouble(0.02, 0.98);
                        y[i] = i % 3 == 0 ? r.nextDouble() : r.nextInt(2); // hard and soft targets
                    }
                    if (clipped) {
                        p[0] = 0;
                        p[1] = 1;
                        p[2] = 1e-9;
                        y[0] = 1;
                        y[1] = 0;
                        y[2] = 1;
                    }
                    break;
                default: // categorical: unnormalized probabilities, one-hot (or soft) targets
                    for (int row = 0; row < n / width; row++) {
                        int hot = r.nextInt(width);
                        for (int j = 0; j < width; j++) {
                            p[row * width + j] = r.nextDouble(0.05, 0.6);
                            y[row * width + j] = j == hot ? 1 : 0;
                        }
                    }
                    if (clipped) {
                        p[0] = 0; // the target class at probability 0: clipped to 1e-7
                        y[0] = 1;
                        for (int j = 1; j < width; j++) {
                            y[j] = 0;
                        }
                    }
                    y[width] = 0.25; // a soft target row
                    y[width + 1] = 0.75;
                    for (int j = 2; j < width; j++) {
                        y[width + j] = 0;
                    }
            }
            if (loss == Loss.SPARSE_CATEGORICAL_CROSSENTROPY) {
                double[] ids = new double[n / width];
                for (int row = 0; row < ids.length; row++) {
                    ids[row] = r.nextInt(width);
                }
                if (clipped) {
                    p[(int) ids[0]] = 0;
                }
                long[] lead = Arrays.copyOf(shape, shape.length - 1);
                long[] withOne = Arrays.copyOf(shape, shape.length);
                withOne[shape.length - 1] = 1;
                out[k++] = new Case(roundToFloat(p), ids, shape, lead);
                out[k++] = new Case(roundToFloat(p), ids, shape, withOne);
            } else {
                out[k++] = new Case(roundToFloat(p), roundToFloat(y), shape, shape);
            }
        }
        return out;
    }

    // ---- values ----

    @ParameterizedTest
    @EnumSource(value = Loss.class, names = "NONE", mode = EnumSource.Mode.EXCLUDE)
    void valueMatchesKerasInFloat32(Loss loss) {
        for (boolean clipped : new boolean[] {false, true}) {
            for (Case c : cases(loss, clipped)) {
                double want = reference(loss, c);
                double got = Losses.loss(loss, c.pred(DataType.FLOAT), c.target(DataType.FLOAT));
                assertEquals(want, got, 1e-5 * Math.abs(want), loss + " " + Arrays.toString(c.shape) + " targets "
                        + Arrays.toString(c.targetShape) + (clipped ? " with clipped probabilities" : ""));
                INDArray grad = c.pred(DataType.FLOAT).ulike();
                double withGradient = Losses.lossAndGradient(loss, false, c.pred(DataType.FLOAT), c.target(DataType.FLOAT),
                        grad, 1);
                assertEquals(got, withGradient, 0, "lossAndGradient returns the same value");
            }
        }
    }

    @Test
    void knownValuesFromKerasDocs() {
        // keras.losses.categorical_crossentropy([[0, 1, 0], [0, 0, 1]], [[0.05, 0.95, 0], [0.1, 0.8, 0.1]])
        // = [0.0513, 2.303]: mean 1.1769
        INDArray p = array(DataType.FLOAT, new double[] {0.05, 0.95, 0, 0.1, 0.8, 0.1}, 2, 3);
        INDArray y = array(DataType.FLOAT, new double[] {0, 1, 0, 0, 0, 1}, 2, 3);
        assertEquals((0.0513 + 2.303) / 2, Losses.loss(Loss.CATEGORICAL_CROSSENTROPY, p, y), 1e-3);
        assertEquals((0.0513 + 2.303) / 2, Losses.loss(Loss.SPARSE_CATEGORICAL_CROSSENTROPY, p,
                array(DataType.FLOAT, new double[] {1, 2}, 2)), 1e-3);
        // keras.losses.binary_crossentropy([[0, 1], [0, 0]], [[0.6, 0.4], [0.4, 0.6]]) = [0.916, 0.714]
        assertEquals((0.916 + 0.714) / 2, Losses.loss(Loss.BINARY_CROSSENTROPY,
                array(DataType.FLOAT, new double[] {0.6, 0.4, 0.4, 0.6}, 2, 2),
                array(DataType.FLOAT, new double[] {0, 1, 0, 0}, 2, 2)), 1e-3);
        // keras.losses.Huber()([[0, 1], [0, 0]], [[0.6, 0.4], [0.4, 0.6]]) = 0.155
        assertEquals(0.155, Losses.loss(Loss.HUBER, array(DataType.FLOAT, new double[] {0.6, 0.4, 0.4, 0.6}, 2, 2),
                array(DataType.FLOAT, new double[] {0, 1, 0, 0}, 2, 2)), 1e-6);
    }

    // ---- gradients ----

    /** STYLE.md's criterion with the brief's 1e-6: relative error, unless both are within 1e-8. */
    static void assertGradient(double numeric, double analytic, String what) {
        double diff = Math.abs(analytic - numeric);
        if (diff >= 1e-8 && diff / (Math.abs(analytic) + Math.abs(numeric)) > 1e-6) {
            fail(what + ": analytic " + analytic + " vs finite difference " + numeric);
        }
    }

    @ParameterizedTest
    @EnumSource(value = Loss.class, names = "NONE", mode = EnumSource.Mode.EXCLUDE)
    void unfusedGradientMatchesFiniteDifferences(Loss loss) {
        for (Case c : cases(loss, false)) {
            INDArray target = c.target(DataType.DOUBLE);
            INDArray grad = c.pred(DataType.DOUBLE).ulike();
            Losses.lossAndGradient(loss, false, c.pred(DataType.DOUBLE), target, grad, 1);
            double[] analytic = values(grad);
            for (int i = 0; i < c.pred.length; i++) {
                double e = c.pred[i] - (loss == Loss.SPARSE_CATEGORICAL_CROSSENTROPY ? 0 : c.target[i]);
                if (loss == Loss.MEAN_ABSOLUTE_ERROR && Math.abs(e) < 10 * EPS
                        || loss == Loss.HUBER && Math.abs(Math.abs(e) - 1) < 10 * EPS) {
                    continue; // kinks
                }
                double numeric = (lossAt(loss, c.pred, i, EPS, c.shape, target) - lossAt(loss, c.pred, i, -EPS, c.shape, target))
                        / (2 * EPS);
                assertGradient(numeric, analytic[i], loss + " " + Arrays.toString(c.shape) + " dL/dp at " + i);
            }
        }
    }

    @Test
    void unfusedGradientIsZeroWhereTheProbabilityIsClipped() {
        // Keras clips before the log, so the gradient through a clipped probability is zero
        INDArray p = array(DataType.DOUBLE, new double[] {0, 0.5, 1, 0.5}, 2, 2);
        INDArray y = array(DataType.DOUBLE, new double[] {1, 0, 0, 1}, 2, 2);
        INDArray g = p.ulike();
        Losses.lossAndGradient(Loss.BINARY_CROSSENTROPY, false, p, y, g, 1);
        double[] got = values(g);
        assertEquals(0, got[0]);
        assertEquals(0, got[2]);
        assertEquals(1 / 0.5 / 4, got[1], 1e-15); // -(1 - t) / (1 - q) * ... : (1 - 0) / (1 - 0.5) / 4 elements
    }

    @Test
    void fusedSoftmaxCategoricalIsTheGradientWithRespectToTheLogits() {
        int width = 5;
        long[] shape = {2, 3, width};
        double[] z = uniform(30, 30, -3, 3);
        double[] y = new double[30];
        SplittableRandom r = new SplittableRandom(31);
        for (int row = 0; row < 6; row++) {
            y[row * width + r.nextInt(width)] = 1;
        }
        y[0] = 0.5; // soft and unnormalized targets too: the gradient is p * sum(y) - y
        y[1] = 0.7;
        checkFused(Loss.CATEGORICAL_CROSSENTROPY, z, y, shape, shape, zz -> softmaxRows(zz, width));
    }

    @Test
    void fusedSoftmaxSparseCategoricalIsTheGradientWithRespectToTheLogits() {
        int width = 5;
        double[] z = uniform(32, 30, -3, 3);
        double[] ids = {4, 0, 2, 2, 1, 3};
        checkFused(Loss.SPARSE_CATEGORICAL_CROSSENTROPY, z, ids, new long[] {2, 3, width}, new long[] {2, 3},
                zz -> softmaxRows(zz, width));
        checkFused(Loss.SPARSE_CATEGORICAL_CROSSENTROPY, z, ids, new long[] {6, width}, new long[] {6, 1},
                zz -> softmaxRows(zz, width));
    }

    @Test
    void fusedSigmoidBinaryIsTheGradientWithRespectToTheLogits() {
        double[] z = uniform(33, 24, -4, 4);
        double[] y = new double[24];
        SplittableRandom r = new SplittableRandom(34);
        for (int i = 0; i < y.length; i++) {
            y[i] = i % 4 == 0 ? r.nextDouble() : r.nextInt(2);
        }
        checkFused(Loss.BINARY_CROSSENTROPY, z, y, new long[] {2, 3, 4}, new long[] {2, 3, 4}, LossesTest::sigmoid);
        checkFused(Loss.BINARY_CROSSENTROPY, z, y, new long[] {6, 4}, new long[] {6, 4}, LossesTest::sigmoid);
    }

    private static void checkFused(Loss loss, double[] z, double[] y, long[] shape, long[] targetShape,
            java.util.function.UnaryOperator<double[]> activation) {
        INDArray target = array(DataType.DOUBLE, y, targetShape);
        INDArray p = array(DataType.DOUBLE, activation.apply(z), shape);
        INDArray grad = p.ulike();
        double value = Losses.lossAndGradient(loss, true, p, target, grad, 1);
        assertEquals(Losses.loss(loss, p, target), value, 0, "the fused loss is the same loss");
        double[] analytic = values(grad);
        for (int i = 0; i < z.length; i++) {
            double[] plus = z.clone();
            double[] minus = z.clone();
            plus[i] += EPS;
            minus[i] -= EPS;
            double numeric = (Losses.loss(loss, array(DataType.DOUBLE, activation.apply(plus), shape), target)
                    - Losses.loss(loss, array(DataType.DOUBLE, activation.apply(minus), shape), target)) / (2 * EPS);
            assertGradient(numeric, analytic[i], loss + " fused " + Arrays.toString(shape) + " dL/dz at " + i);
        }
    }

    private static double lossAt(Loss loss, double[] pred, int i, double delta, long[] shape, INDArray target) {
        double[] p = pred.clone();
        p[i] += delta;
        return Losses.loss(loss, array(DataType.DOUBLE, p, shape), target);
    }

    @ParameterizedTest
    @EnumSource(value = Loss.class, names = "NONE", mode = EnumSource.Mode.EXCLUDE)
    void lossWeightScalesTheGradientAndLeavesTheValueToTheCaller(Loss loss) {
        // the caller (KilnModel, the reference interpreter) adds weight * value to the total loss
        for (boolean fused : new boolean[] {false, true}) {
            Case c = cases(loss, false)[1];
            INDArray g1 = c.pred(DataType.DOUBLE).ulike();
            INDArray g2 = c.pred(DataType.DOUBLE).ulike();
            double v1 = Losses.lossAndGradient(loss, fused, c.pred(DataType.DOUBLE), c.target(DataType.DOUBLE), g1, 1);
            double v2 = Losses.lossAndGradient(loss, fused, c.pred(DataType.DOUBLE), c.target(DataType.DOUBLE), g2, 2.5);
            assertEquals(v1, v2, 0, loss + ": the returned loss is unweighted");
            double[] a = values(g1);
            double[] b = values(g2);
            for (int i = 0; i < a.length; i++) {
                assertEquals(2.5 * a[i], b[i], 1e-15 * Math.abs(b[i]), loss + (fused ? " fused" : "") + " gradient at " + i);
            }
        }
    }

    // ---- bad targets ----

    @Test
    void checkTargetsNamesWhatAndBothShapes() {
        INDArray pred = array(DataType.FLOAT, new double[12], 4, 3);
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> Losses.checkTargets(Loss.MEAN_SQUARED_ERROR, pred, array(DataType.FLOAT, new double[8], 4, 2),
                        "targets of output 'price'"));
        assertEquals("targets of output 'price': targets must have the output's shape [4, 3], but have shape [4, 2]",
                e.getMessage());
        e = assertThrows(IllegalArgumentException.class,
                () -> Losses.checkTargets(Loss.CATEGORICAL_CROSSENTROPY, pred, array(DataType.FLOAT, new double[4], 4),
                        "output 'digit'"));
        assertEquals("output 'digit': targets must have the output's shape [4, 3], but have shape [4]", e.getMessage());
        e = assertThrows(IllegalArgumentException.class,
                () -> Losses.checkTargets(Loss.SPARSE_CATEGORICAL_CROSSENTROPY, pred, array(DataType.FLOAT, new double[12], 4, 3),
                        "output 'digit'"));
        assertEquals("output 'digit': sparse_categorical_crossentropy takes class ids of shape [4] (or with a trailing 1),"
                + " but the targets have shape [4, 3]", e.getMessage());

        // accepted
        Losses.checkTargets(Loss.MEAN_SQUARED_ERROR, pred, array(DataType.FLOAT, new double[12], 4, 3), "t");
        Losses.checkTargets(Loss.SPARSE_CATEGORICAL_CROSSENTROPY, pred, array(DataType.FLOAT, new double[4], 4), "t");
        Losses.checkTargets(Loss.SPARSE_CATEGORICAL_CROSSENTROPY, pred, array(DataType.FLOAT, new double[4], 4, 1), "t");
        INDArray seq = array(DataType.FLOAT, new double[24], 2, 4, 3);
        Losses.checkTargets(Loss.SPARSE_CATEGORICAL_CROSSENTROPY, seq, array(DataType.FLOAT, new double[8], 2, 4), "t");
        Losses.checkTargets(Loss.SPARSE_CATEGORICAL_CROSSENTROPY, seq, array(DataType.FLOAT, new double[8], 2, 4, 1), "t");
        assertThrows(IllegalArgumentException.class, () -> Losses.checkTargets(Loss.SPARSE_CATEGORICAL_CROSSENTROPY, seq,
                array(DataType.FLOAT, new double[8], 8), "t"));
    }

    @Test
    void sparseLabelOutOfRange() {
        double[] ids = {0, 1, 2, 3, 4, 12, 6, 7};
        INDArray pred = array(DataType.FLOAT, uniform(35, 80, 0.1, 1), 8, 10);
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> Losses.loss(Loss.SPARSE_CATEGORICAL_CROSSENTROPY, pred, array(DataType.FLOAT, ids, 8)));
        assertEquals("label 12 at sample 5 is outside 0..9 (the output has 10 classes)", e.getMessage());
        ids[5] = -1;
        e = assertThrows(IllegalArgumentException.class, () -> Losses.lossAndGradient(Loss.SPARSE_CATEGORICAL_CROSSENTROPY,
                true, pred, array(DataType.FLOAT, ids, 8, 1), pred.ulike(), 1));
        assertEquals("label -1 at sample 5 is outside 0..9 (the output has 10 classes)", e.getMessage());
        ids[5] = 2.5;
        e = assertThrows(IllegalArgumentException.class,
                () -> Losses.loss(Loss.SPARSE_CATEGORICAL_CROSSENTROPY, pred, array(DataType.FLOAT, ids, 8)));
        assertEquals("label 2.5 at sample 5 is not a class id in 0..9 (the output has 10 classes)", e.getMessage());
        ids[5] = Double.NaN;
        e = assertThrows(IllegalArgumentException.class,
                () -> Losses.loss(Loss.SPARSE_CATEGORICAL_CROSSENTROPY, pred, array(DataType.FLOAT, ids, 8)));
        assertEquals("label NaN at sample 5 is not a class id in 0..9 (the output has 10 classes)", e.getMessage());
    }

    @ParameterizedTest
    @EnumSource(value = Loss.class, names = {"NONE", "SPARSE_CATEGORICAL_CROSSENTROPY"}, mode = EnumSource.Mode.EXCLUDE)
    void nanTargetsAreRejected(Loss loss) {
        double[] y = {0, 1, 0, 1, 0, 0, 0, 1, 0, 0, 1, 0};
        y[7] = Double.NaN;
        INDArray pred = array(DataType.FLOAT, uniform(36, 12, 0.1, 0.9), 4, 3);
        for (boolean withGradient : new boolean[] {false, true}) {
            IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> {
                INDArray t = array(DataType.FLOAT, y, 4, 3);
                if (withGradient) {
                    Losses.lossAndGradient(loss, false, pred, t, pred.ulike(), 1);
                } else {
                    Losses.loss(loss, pred, t);
                }
            });
            assertEquals("targets contain NaN at element 7", e.getMessage(), loss.toString());
        }
    }

    @Test
    void noLossIsAnError() {
        INDArray p = array(DataType.FLOAT, new double[4], 2, 2);
        IllegalStateException e = assertThrows(IllegalStateException.class, () -> Losses.loss(Loss.NONE, p, p));
        assertEquals("this output has no loss; give it one with @Output(loss = ...)", e.getMessage());
    }
}
