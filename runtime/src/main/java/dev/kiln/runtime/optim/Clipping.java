package dev.kiln.runtime.optim;

import java.nio.DoubleBuffer;
import java.nio.FloatBuffer;

/**
 * Keras's gradient clipping, in place on the flat gradient buffer, before the update rule runs:
 * <ul>
 *   <li>{@code clipnorm c}: each variable's gradient {@code g} becomes {@code g * c / max(||g||, c)};
 *   <li>{@code global_clipnorm c}: every gradient is scaled by {@code c * min(1 / ||all||, 1 / c)}, where
 *       {@code ||all||} is the norm of all gradients together (NaN when that norm is not finite);
 *   <li>{@code clipvalue c}: each element is clamped to {@code [-c, c]}.
 * </ul>
 * A scale of exactly 1 is skipped: it leaves the gradient as it is. Norms are summed in double.
 */
final class Clipping {
    private Clipping() {
    }

    static void byNorm(FlatArray g, long[] variableSizes, double clipnorm) {
        int from = 0;
        for (long size : variableSizes) {
            int to = from + (int) size;
            double norm = Math.sqrt(sumOfSquares(g, from, to));
            if (norm > clipnorm) {
                scale(g, from, to, clipnorm / norm);
            }
            from = to;
        }
    }

    static void byGlobalNorm(FlatArray g, double clipnorm) {
        double norm = Math.sqrt(sumOfSquares(g, 0, g.length));
        double scale = clipnorm * Math.min(1 / norm, 1 / clipnorm) + (norm - norm);
        if (scale != 1) {
            scale(g, 0, g.length, scale);
        }
    }

    static void byValue(FlatArray g, double clipvalue) {
        if (g.floats != null) {
            FloatBuffer b = g.floats;
            float c = (float) clipvalue;
            for (int i = 0, n = g.length; i < n; i++) {
                b.put(i, Math.max(-c, Math.min(c, b.get(i))));
            }
        } else {
            DoubleBuffer b = g.doubles;
            for (int i = 0, n = g.length; i < n; i++) {
                b.put(i, Math.max(-clipvalue, Math.min(clipvalue, b.get(i))));
            }
        }
    }

    private static double sumOfSquares(FlatArray g, int from, int to) {
        double sum = 0;
        if (g.floats != null) {
            for (int i = from; i < to; i++) {
                double x = g.floats.get(i);
                sum += x * x;
            }
        } else {
            for (int i = from; i < to; i++) {
                double x = g.doubles.get(i);
                sum += x * x;
            }
        }
        return sum;
    }

    private static void scale(FlatArray g, int from, int to, double scale) {
        if (g.floats != null) {
            float s = (float) scale;
            for (int i = from; i < to; i++) {
                g.floats.put(i, g.floats.get(i) * s);
            }
        } else {
            for (int i = from; i < to; i++) {
                g.doubles.put(i, g.doubles.get(i) * scale);
            }
        }
    }
}
