package dev.kiln.runtime.loss;

import dev.kiln.dsl.Loss;
import dev.kiln.dsl.Reduction;
import dev.kiln.runtime.kernel.Vec;
import dev.kiln.runtime.train.Trainable.OutputSpec;
import java.util.Arrays;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/**
 * Keras 3's losses ({@code keras/src/losses/losses.py}): the loss of each sample position is reduced over the last
 * axis (mean, or sum for the cross-entropies), then averaged (Keras's default reduction, {@code sum_over_batch_size}),
 * summed, or left per sample, as the output's {@link Reduction} says.
 * Probabilities are clipped to {@code [1e-7, 1 - 1e-7]} and categorical ones renormalized first, as Keras does.
 *
 * <p>Each call returns the loss and writes its gradient. When the output's activation is fused with the loss
 * (softmax with a categorical cross-entropy, sigmoid with binary cross-entropy), the gradient is taken with respect to
 * the activation's input, {@code p - y}, instead of through the clipped logarithm.
 */
public final class Losses {
    /** Keras's {@code backend.epsilon()}. */
    public static final double EPSILON = 1e-7;
    /** Keras's {@code Huber()} default delta. */
    public static final double HUBER_DELTA = 1.0;

    private Losses() {
    }

    /** True when {@code loss} needs class ids rather than targets shaped like the output. */
    public static boolean sparse(Loss loss) {
        return loss == Loss.SPARSE_CATEGORICAL_CROSSENTROPY;
    }

    /**
     * The loss of {@code yPred} against {@code yTrue}, and {@code grad = weight * dLoss/dInput} where the input is the
     * prediction, or its logits when {@code fused}.
     */
    public static double lossAndGradient(Loss loss, boolean fused, INDArray yPred, INDArray yTrue, INDArray grad,
            double weight) {
        return compute(loss, fused, yPred, yTrue, grad, weight);
    }

    /**
     * Output {@code spec}'s loss, and, unless {@code grad} is null, its gradient scaled by the output's loss weight:
     * from logits, fused with the output's activation, or through its probabilities.
     */
    public static double forOutput(OutputSpec spec, boolean fused, INDArray yPred, INDArray yTrue, INDArray grad) {
        return forOutput(spec, fused, yPred, null, yTrue, grad);
    }

    /**
     * {@link #forOutput(OutputSpec, boolean, INDArray, INDArray, INDArray)}, with the loss of a fused output taken from
     * its {@code logits} (the values before its softmax or sigmoid) where the forward pass kept them, and reduced as
     * the output's {@link Reduction} says: {@code SUM} multiplies the mean and its gradient by the number of sample
     * losses, {@code NONE} only the gradient (Keras's TensorFlow backend trains the sum of a loss that returns one value
     * per sample, and its loss tracker reports their mean).
     */
    public static double forOutput(OutputSpec spec, boolean fused, INDArray yPred, INDArray logits, INDArray yTrue,
            INDArray grad) {
        double samples = sampleCount(yPred);
        double w = grad == null ? 0 : spec.lossWeight() * (spec.reduction() == Reduction.SUM_OVER_BATCH_SIZE ? 1
                : samples);
        double mean;
        if (spec.fromLogits()) {
            mean = fromLogits(spec.loss(), yPred, yTrue, grad, w);
        } else if (fused && logits != null) {
            mean = fromLogits(spec.loss(), logits, yTrue, grad, w);
        } else {
            mean = compute(spec.loss(), fused, yPred, yTrue, grad, w, spec.huberDelta());
        }
        return spec.reduction() == Reduction.SUM ? mean * samples : mean;
    }

    /**
     * Each sample's loss, unreduced: Keras's {@code reduction="none"}. One entry per sample (per sample and step for a
     * sequence output: the prediction's shape without its last axis), each the loss that
     * {@link Reduction#SUM_OVER_BATCH_SIZE} averages, in float64.
     */
    public static INDArray perSample(OutputSpec spec, INDArray yPred, INDArray yTrue) {
        long[] shape = yPred.shape();
        long width = shape[shape.length - 1];
        int rows = Math.toIntExact(sampleCount(yPred));
        INDArray p = yPred.reshape('c', rows, width);
        INDArray t = yTrue.reshape('c', rows, yTrue.length() / rows);
        OutputSpec mean = spec.withReduction(Reduction.SUM_OVER_BATCH_SIZE);
        double[] out = new double[rows];
        for (int r = 0; r < rows; r++) {
            out[r] = forOutput(mean, false, p.getRow(r, true).dup(), t.getRow(r, true).dup(), null);
        }
        return Nd4j.createFromArray(out).reshape(Arrays.copyOf(shape, shape.length - 1));
    }

    /** How many sample losses the prediction {@code yPred} holds: its elements over its last axis's width. */
    private static long sampleCount(INDArray yPred) {
        return yPred.length() / yPred.size(yPred.rank() - 1);
    }

    /**
     * Carries {@code grad = dL/dOutput} through the activation a fused output ends in, in place: {@code grad} becomes
     * {@code dL/dLogits}, the gradient a fused output's backward pass starts from. The activation is the one the
     * loss fuses with: sigmoid for binary cross-entropy ({@code g * y * (1 - y)}), softmax over the last axis for the
     * categorical ones ({@code y * (g - sum(g * y))}).
     */
    public static void throughFusedActivation(Loss loss, INDArray y, INDArray grad) {
        if (loss == Loss.BINARY_CROSSENTROPY) {
            grad.muli(y).muli(y.rsub(1.0));
            return;
        }
        if (loss != Loss.CATEGORICAL_CROSSENTROPY && loss != Loss.SPARSE_CATEGORICAL_CROSSENTROPY) {
            throw new IllegalArgumentException(loss + " is not fused with an activation");
        }
        long width = y.size(y.rank() - 1);
        INDArray y2 = y.reshape('c', y.length() / width, width);
        INDArray g2 = grad.reshape('c', grad.length() / width, width);
        INDArray dot = g2.mul(y2).sum(true, 1);
        INDArray dz = g2.subColumnVector(dot).muli(y2);
        grad.assign(dz.reshape('c', grad.shape()));
    }

    /** The loss alone. */
    public static double loss(Loss loss, INDArray yPred, INDArray yTrue) {
        return compute(loss, false, yPred, yTrue, null, 0);
    }

    /**
     * A cross-entropy taken from {@code logits} ({@code from_logits=True}), stably: log-sum-exp for the categorical
     * ones, {@code max(z, 0) - z t + log(1 + exp(-|z|))} for the binary one. Writes {@code grad = weight *
     * dLoss/dLogits} unless {@code grad} is null: {@code softmax(z) * sum(t) - t}, or {@code sigmoid(z) - t}.
     */
    public static double fromLogits(Loss loss, INDArray logits, INDArray yTrue, INDArray grad, double weight) {
        Vec z = Vec.of(logits);
        Vec y = Vec.of(yTrue);
        Vec g = grad == null ? null : Vec.of(grad);
        int width = Math.toIntExact(logits.size(logits.rank() - 1));
        int rows = z.length() / width;
        switch (loss) {
            case BINARY_CROSSENTROPY:
                return binaryFromLogits(z, y, g, weight, width, rows);
            case CATEGORICAL_CROSSENTROPY:
            case SPARSE_CATEGORICAL_CROSSENTROPY:
                return categoricalFromLogits(loss == Loss.SPARSE_CATEGORICAL_CROSSENTROPY, z, y, g, weight, width,
                        rows);
            default:
                throw new IllegalArgumentException(loss + " is not a cross-entropy: only cross-entropies take logits");
        }
    }

    private static double binaryFromLogits(Vec z, Vec y, Vec g, double w, int width, int rows) {
        double total = 0;
        double scale = w / ((double) rows * width);
        for (int i = 0, n = z.length(); i < n; i++) {
            double t = target(y, i);
            double v = z.get(i);
            total += Math.max(v, 0) - v * t + Math.log1p(Math.exp(-Math.abs(v)));
            if (g != null) {
                double s = v >= 0 ? 1 / (1 + Math.exp(-v)) : Math.exp(v) / (1 + Math.exp(v));
                g.set(i, (s - t) * scale);
            }
        }
        return total / ((double) rows * width);
    }

    private static double categoricalFromLogits(boolean sparse, Vec z, Vec y, Vec g, double w, int width, int rows) {
        double total = 0;
        double scale = w / rows;
        for (int r = 0; r < rows; r++) {
            int base = r * width;
            int k = sparse ? classId(y, r, width) : -1;
            double max = Double.NEGATIVE_INFINITY;
            for (int j = 0; j < width; j++) {
                max = Math.max(max, z.get(base + j));
            }
            double sum = 0;
            for (int j = 0; j < width; j++) {
                sum += Math.exp(z.get(base + j) - max);
            }
            double logSumExp = max + Math.log(sum);
            double targetSum = sparse ? 1 : 0;
            for (int j = 0; j < width; j++) {
                double t = sparse ? (j == k ? 1 : 0) : target(y, base + j);
                if (!sparse) {
                    targetSum += t;
                }
                total += t == 0 ? 0 : t * (logSumExp - z.get(base + j));
            }
            if (g == null) {
                continue;
            }
            for (int j = 0; j < width; j++) {
                double t = sparse ? (j == k ? 1 : 0) : y.get(base + j);
                g.set(base + j, (Math.exp(z.get(base + j) - logSumExp) * targetSum - t) * scale);
            }
        }
        return total / rows;
    }

    /** Checks that {@code yTrue} fits {@code yPred} for {@code loss}; the message names {@code what}. */
    public static void checkTargets(Loss loss, INDArray yPred, INDArray yTrue, String what) {
        long[] p = yPred.shape();
        long[] t = yTrue.shape();
        if (sparse(loss)) {
            long[] expected = Arrays.copyOf(p, p.length - 1);
            boolean ok = Arrays.equals(t, expected)
                    || (t.length == p.length && t[t.length - 1] == 1 && Arrays.equals(Arrays.copyOf(t, t.length - 1), expected));
            if (!ok) {
                throw new IllegalArgumentException(what + ": " + loss.name().toLowerCase()
                        + " takes class ids of shape " + Arrays.toString(expected) + " (or with a trailing 1), but the targets have shape "
                        + Arrays.toString(t));
            }
        } else if (!Arrays.equals(p, t)) {
            throw new IllegalArgumentException(what + ": targets must have the output's shape " + Arrays.toString(p)
                    + ", but have shape " + Arrays.toString(t));
        }
    }

    private static double compute(Loss loss, boolean fused, INDArray yPred, INDArray yTrue, INDArray grad, double w) {
        return compute(loss, fused, yPred, yTrue, grad, w, HUBER_DELTA);
    }

    private static double compute(Loss loss, boolean fused, INDArray yPred, INDArray yTrue, INDArray grad, double w,
            double delta) {
        Vec p = Vec.of(yPred);
        Vec y = Vec.of(yTrue);
        Vec g = grad == null ? null : Vec.of(grad);
        int width = Math.toIntExact(yPred.size(yPred.rank() - 1));
        int rows = p.length() / width;
        switch (loss) {
            case MEAN_SQUARED_ERROR:
            case MEAN_ABSOLUTE_ERROR:
            case HUBER:
                return regression(loss, p, y, g, w, width, rows, delta);
            case BINARY_CROSSENTROPY:
                return binary(fused, p, y, g, w, width, rows);
            case CATEGORICAL_CROSSENTROPY:
                return categorical(fused, p, y, g, w, width, rows);
            case SPARSE_CATEGORICAL_CROSSENTROPY:
                return sparseCategorical(fused, p, y, g, w, width, rows);
            default:
                throw new IllegalStateException("this output has no loss; give it one with @Output(loss = ...)");
        }
    }

    private static double regression(Loss loss, Vec p, Vec y, Vec g, double w, int width, int rows, double delta) {
        double total = 0;
        double scale = w / ((double) rows * width);
        for (int i = 0, n = p.length(); i < n; i++) {
            double e = p.get(i) - target(y, i);
            double a = Math.abs(e);
            switch (loss) {
                case MEAN_SQUARED_ERROR:
                    total += e * e;
                    if (g != null) {
                        g.set(i, 2 * e * scale);
                    }
                    break;
                case MEAN_ABSOLUTE_ERROR:
                    total += a;
                    if (g != null) {
                        g.set(i, Math.signum(e) * scale);
                    }
                    break;
                default: // HUBER
                    total += a <= delta ? 0.5 * e * e : delta * a - 0.5 * delta * delta;
                    if (g != null) {
                        g.set(i, (a <= delta ? e : delta * Math.signum(e)) * scale);
                    }
            }
        }
        return total / ((double) rows * width);
    }

    private static double binary(boolean fused, Vec p, Vec y, Vec g, double w, int width, int rows) {
        double total = 0;
        double scale = w / ((double) rows * width);
        for (int i = 0, n = p.length(); i < n; i++) {
            double t = target(y, i);
            double raw = p.get(i);
            double q = clip(raw);
            total -= t * Math.log(q) + (1 - t) * Math.log(1 - q);
            if (g != null) {
                if (fused) {
                    g.set(i, (raw - t) * scale);
                } else {
                    boolean inside = raw > EPSILON && raw < 1 - EPSILON;
                    g.set(i, inside ? (-t / q + (1 - t) / (1 - q)) * scale : 0);
                }
            }
        }
        return total / ((double) rows * width);
    }

    private static double categorical(boolean fused, Vec p, Vec y, Vec g, double w, int width, int rows) {
        double total = 0;
        double scale = w / rows;
        for (int r = 0; r < rows; r++) {
            int base = r * width;
            double sum = 0;
            double targetSum = 0;
            for (int j = 0; j < width; j++) {
                sum += p.get(base + j);
                targetSum += target(y, base + j);
            }
            double dot = 0; // sum_j g_j q_j, for the unfused gradient through the renormalization
            for (int j = 0; j < width; j++) {
                double t = y.get(base + j);
                double q = p.get(base + j) / sum;
                double c = clip(q);
                total -= t * Math.log(c);
                if (g != null && !fused) {
                    double gj = q > EPSILON && q < 1 - EPSILON ? -t / q : 0;
                    g.set(base + j, gj);
                    dot += gj * q;
                }
            }
            if (g == null) {
                continue;
            }
            for (int j = 0; j < width; j++) {
                double v = fused
                        ? p.get(base + j) * targetSum - y.get(base + j)
                        : (g.get(base + j) - dot) / sum;
                g.set(base + j, v * scale);
            }
        }
        return total / rows;
    }

    private static double sparseCategorical(boolean fused, Vec p, Vec y, Vec g, double w, int width, int rows) {
        double total = 0;
        double scale = w / rows;
        for (int r = 0; r < rows; r++) {
            int base = r * width;
            int k = classId(y, r, width);
            double sum = 0;
            for (int j = 0; j < width; j++) {
                sum += p.get(base + j);
            }
            double q = p.get(base + k) / sum;
            total -= Math.log(clip(q));
            if (g == null) {
                continue;
            }
            for (int j = 0; j < width; j++) {
                double v;
                if (fused) {
                    v = p.get(base + j) - (j == k ? 1 : 0);
                } else {
                    // d/dp_j of -log(p_k / sum): -1/p_k [j == k] + 1/sum
                    double gk = q > EPSILON && q < 1 - EPSILON ? -1 / q : 0;
                    v = ((j == k ? gk : 0) - gk * q) / sum;
                }
                g.set(base + j, v * scale);
            }
        }
        return total / rows;
    }

    private static double target(Vec y, int i) {
        double t = y.get(i);
        if (Double.isNaN(t)) {
            throw new IllegalArgumentException("targets contain NaN at element " + i);
        }
        return t;
    }

    private static int classId(Vec y, int row, int classes) {
        double t = y.get(row);
        int k = (int) t;
        if (k != t) {
            throw new IllegalArgumentException("label " + t + " at sample " + row + " is not a class id in 0.."
                    + (classes - 1) + " (the output has " + classes + " classes)");
        }
        if (k < 0 || k >= classes) {
            throw new IllegalArgumentException("label " + k + " at sample " + row + " is outside 0.." + (classes - 1)
                    + " (the output has " + classes + " classes)");
        }
        return k;
    }

    private static double clip(double q) {
        return Math.min(Math.max(q, EPSILON), 1 - EPSILON);
    }
}
