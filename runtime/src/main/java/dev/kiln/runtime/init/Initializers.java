package dev.kiln.runtime.init;

import dev.kiln.dsl.Initializer;
import java.util.SplittableRandom;

/**
 * Keras 3's initializers ({@code keras/src/initializers}): the variance-scaling family (glorot, he, lecun; uniform or
 * normal truncated at two standard deviations), constants, and orthogonal. Values are drawn from a seeded
 * {@link SplittableRandom}, so a model created twice from one seed is identical.
 */
public final class Initializers {
    /** Standard deviation of a unit normal truncated to (-2, 2); Keras divides by it to keep the variance. */
    private static final double TRUNCATED_STD = 0.87962566103423978;

    private Initializers() {
    }

    /**
     * Values for a variable of {@code shape} in Keras layout. Fans follow Keras's {@code compute_fans}: for a kernel
     * {@code (..., in, out)} the leading axes form the receptive field, {@code fan_in = in * field}, {@code fan_out =
     * out * field}; a vector has {@code fan_in = fan_out = length}, a scalar {@code 1}. {@code ORTHOGONAL} needs a
     * shape of rank 2 or more, as in Keras.
     */
    public static double[] draw(Initializer init, long[] shape, SplittableRandom random) {
        int n = 1;
        for (long d : shape) {
            n = Math.multiplyExact(n, Math.toIntExact(d));
        }
        double[] out = new double[n];
        double fanIn;
        double fanOut;
        if (shape.length == 0) { // a scalar
            fanIn = fanOut = 1;
        } else if (shape.length == 1) {
            fanIn = fanOut = shape[0];
        } else {
            double field = 1;
            for (int i = 0; i < shape.length - 2; i++) {
                field *= shape[i];
            }
            fanIn = shape[shape.length - 2] * field;
            fanOut = shape[shape.length - 1] * field;
        }
        switch (init) {
            case ZEROS:
                return out;
            case ONES:
                java.util.Arrays.fill(out, 1);
                return out;
            case GLOROT_UNIFORM:
                return uniform(out, Math.sqrt(3 * 1.0 / Math.max(1, (fanIn + fanOut) / 2)), random);
            case GLOROT_NORMAL:
                return truncatedNormal(out, Math.sqrt(1.0 / Math.max(1, (fanIn + fanOut) / 2)) / TRUNCATED_STD, random);
            case HE_UNIFORM:
                return uniform(out, Math.sqrt(3 * 2.0 / Math.max(1, fanIn)), random);
            case HE_NORMAL:
                return truncatedNormal(out, Math.sqrt(2.0 / Math.max(1, fanIn)) / TRUNCATED_STD, random);
            case LECUN_UNIFORM:
                return uniform(out, Math.sqrt(3 * 1.0 / Math.max(1, fanIn)), random);
            case LECUN_NORMAL:
                return truncatedNormal(out, Math.sqrt(1.0 / Math.max(1, fanIn)) / TRUNCATED_STD, random);
            case ORTHOGONAL:
                return orthogonal(out, shape, random);
            case RANDOM_UNIFORM:
                return uniform(out, 0.05, random);
            default:
                throw new AssertionError(init);
        }
    }

    private static double[] uniform(double[] out, double limit, SplittableRandom random) {
        for (int i = 0; i < out.length; i++) {
            out[i] = random.nextDouble(-limit, limit);
        }
        return out;
    }

    private static double[] truncatedNormal(double[] out, double stddev, SplittableRandom random) {
        for (int i = 0; i < out.length; i++) {
            double z;
            do {
                z = gaussian(random);
            } while (Math.abs(z) >= 2);
            out[i] = z * stddev;
        }
        return out;
    }

    static double gaussian(SplittableRandom random) {
        // Box-Muller; one of the pair is enough here
        double u = 1 - random.nextDouble();
        double v = random.nextDouble();
        return Math.sqrt(-2 * Math.log(u)) * Math.cos(2 * Math.PI * v);
    }

    /**
     * Keras's orthogonal initializer (gain 1): a normal matrix of shape {@code (rows, cols)} (rows = product of all
     * axes but the last), made orthonormal along its shorter side by QR with the signs of R's diagonal kept.
     */
    private static double[] orthogonal(double[] out, long[] shape, SplittableRandom random) {
        if (shape.length < 2) {
            throw new IllegalArgumentException("the orthogonal initializer needs a shape of rank 2 or more, got "
                    + java.util.Arrays.toString(shape));
        }
        int cols = Math.toIntExact(shape[shape.length - 1]);
        int rows = out.length / cols;
        int tall = Math.max(rows, cols);
        int narrow = Math.min(rows, cols);
        double[][] q = new double[narrow][tall]; // columns of a (tall, narrow) matrix
        for (double[] column : q) {
            for (int i = 0; i < tall; i++) {
                column[i] = gaussian(random);
            }
        }
        for (int j = 0; j < narrow; j++) { // modified Gram-Schmidt; R's diagonal is the norm, so signs stay positive
            for (int k = 0; k < j; k++) {
                double dot = 0;
                for (int i = 0; i < tall; i++) {
                    dot += q[k][i] * q[j][i];
                }
                for (int i = 0; i < tall; i++) {
                    q[j][i] -= dot * q[k][i];
                }
            }
            double norm = 0;
            for (int i = 0; i < tall; i++) {
                norm += q[j][i] * q[j][i];
            }
            norm = Math.sqrt(norm);
            for (int i = 0; i < tall; i++) {
                q[j][i] /= norm;
            }
        }
        for (int r = 0; r < rows; r++) {
            for (int c = 0; c < cols; c++) {
                out[r * cols + c] = rows >= cols ? q[c][r] : q[r][c];
            }
        }
        return out;
    }
}
