package dev.kiln.runtime.kernel;

import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * Keras's {@code GlobalMaxPooling1D/2D} and {@code GlobalAveragePooling1D/2D} (channels last, {@code
 * keepdims=False}): {@code x} of shape {@code (batch, positions..., channels)} reduced over the positions to {@code
 * (batch, channels)}. The maximum's position is kept in {@code argmax}, of the output's shape, for backward.
 */
public final class GlobalPoolingKernel {
    private GlobalPoolingKernel() {
    }

    /** {@code y[b, c] = mean over positions of x[b, ., c]}. */
    public static void averageForward(INDArray x, INDArray y) {
        Vec in = Vec.of(x);
        Vec out = Vec.of(y);
        int batch = (int) x.size(0);
        int c = (int) y.size(1);
        int positions = in.length() / (batch * c);
        Workers.share(batch, b -> {
            double[] sum = new double[c];
            for (int p = 0, at = b * positions * c; p < positions; p++, at += c) {
                for (int k = 0; k < c; k++) {
                    sum[k] += in.get(at + k);
                }
            }
            for (int k = 0; k < c; k++) {
                out.set(b * c + k, sum[k] / positions);
            }
        });
    }

    /**
     * Keras's masked {@code GlobalAveragePooling1D}: {@code y[b, c]} the mean over the steps {@code mask (batch,
     * steps)} keeps; a sample whose steps are all masked gives 0 (Keras divides 0 by 0).
     */
    public static void averageForward(INDArray x, INDArray mask, INDArray y) {
        Vec in = Vec.of(x);
        Vec m = Vec.of(mask);
        Vec out = Vec.of(y);
        int batch = (int) x.size(0);
        int c = (int) y.size(1);
        int steps = in.length() / (batch * c);
        for (int b = 0; b < batch; b++) {
            double kept = 0;
            for (int k = 0; k < c; k++) {
                out.set(b * c + k, 0);
            }
            for (int p = 0; p < steps; p++) {
                double w = m.get(b * steps + p);
                kept += w;
                for (int k = 0, at = (b * steps + p) * c; k < c; k++) {
                    out.set(b * c + k, out.get(b * c + k) + w * in.get(at + k));
                }
            }
            for (int k = 0; k < c; k++) {
                out.set(b * c + k, kept == 0 ? 0 : out.get(b * c + k) / kept);
            }
        }
    }

    /** The backward pass of the masked average: {@code dy[b, c] / kept} on the kept steps, 0 on the masked ones. */
    public static void averageBackward(INDArray dy, INDArray mask, INDArray dx, boolean accumulate) {
        Vec g = Vec.of(dy);
        Vec m = Vec.of(mask);
        Vec d = Vec.of(dx);
        int batch = (int) dx.size(0);
        int c = (int) dy.size(1);
        int steps = d.length() / (batch * c);
        for (int b = 0; b < batch; b++) {
            double kept = 0;
            for (int p = 0; p < steps; p++) {
                kept += m.get(b * steps + p);
            }
            for (int p = 0; p < steps; p++) {
                double w = kept == 0 ? 0 : m.get(b * steps + p) / kept;
                for (int k = 0, at = (b * steps + p) * c; k < c; k++) {
                    double v = g.get(b * c + k) * w;
                    d.set(at + k, accumulate ? d.get(at + k) + v : v);
                }
            }
        }
    }

    /** {@code dx[b, ., c]} (=, or += with {@code accumulate}) {@code dy[b, c] / positions}. */
    public static void averageBackward(INDArray dy, INDArray dx, boolean accumulate) {
        Vec g = Vec.of(dy);
        Vec d = Vec.of(dx);
        int batch = (int) dx.size(0);
        int c = (int) dy.size(1);
        int positions = d.length() / (batch * c);
        Workers.share(batch, b -> {
            for (int p = 0, at = b * positions * c; p < positions; p++, at += c) {
                for (int k = 0; k < c; k++) {
                    double v = g.get(b * c + k) / positions;
                    d.set(at + k, accumulate ? d.get(at + k) + v : v);
                }
            }
        });
    }

    /** {@code y[b, c] = max over positions of x[b, ., c]}, its position in {@code argmax[b, c]}. */
    public static void maxForward(INDArray x, INDArray y, INDArray argmax) {
        Vec in = Vec.of(x);
        Vec out = Vec.of(y);
        Vec arg = Vec.of(argmax);
        int batch = (int) x.size(0);
        int c = (int) y.size(1);
        int positions = in.length() / (batch * c);
        Workers.share(batch, b -> {
            for (int k = 0; k < c; k++) {
                double best = Double.NEGATIVE_INFINITY;
                int where = 0;
                for (int p = 0; p < positions; p++) {
                    double v = in.get((b * positions + p) * c + k);
                    if (v > best) {
                        best = v;
                        where = p;
                    }
                }
                out.set(b * c + k, best);
                arg.set(b * c + k, where);
            }
        });
    }

    /** {@code dx} (=, or += with {@code accumulate}) gets each {@code dy[b, c]} at its maximum's position. */
    public static void maxBackward(INDArray dy, INDArray argmax, INDArray dx, boolean accumulate) {
        Vec g = Vec.of(dy);
        Vec arg = Vec.of(argmax);
        Vec d = Vec.of(dx);
        int batch = (int) dx.size(0);
        int c = (int) dy.size(1);
        int positions = d.length() / (batch * c);
        Workers.share(batch, b -> {
            if (!accumulate) {
                for (int i = b * positions * c, end = (b + 1) * positions * c; i < end; i++) {
                    d.set(i, 0);
                }
            }
            for (int k = 0; k < c; k++) {
                int at = (b * positions + (int) arg.get(b * c + k)) * c + k;
                d.set(at, d.get(at) + g.get(b * c + k));
            }
        });
    }
}
