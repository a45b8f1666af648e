package dev.kiln.runtime.kernel;

import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * Keras's {@code Softmax} layer along any axis of a batched array: each line along {@code axis} (a C-order array seen
 * as {@code (outer, length, inner)}) becomes {@code exp(x - max) / sum(exp(x - max))}.
 */
public final class SoftmaxKernel {
    private SoftmaxKernel() {
    }

    /** {@code y = softmax(x)} along {@code axis} (0 is the batch); {@code y} may be {@code x}. */
    public static void forward(INDArray x, INDArray y, int axis) {
        Vec in = Vec.of(x);
        Vec out = Vec.of(y);
        int length = Math.toIntExact(x.size(axis));
        int inner = inner(x, axis);
        int outer = in.length() / (length * inner);
        for (int o = 0; o < outer; o++) {
            for (int j = 0; j < inner; j++) {
                int base = o * length * inner + j;
                double max = Double.NEGATIVE_INFINITY;
                for (int k = 0; k < length; k++) {
                    max = Math.max(max, in.get(base + k * inner));
                }
                double sum = 0;
                for (int k = 0; k < length; k++) {
                    double e = Math.exp(in.get(base + k * inner) - max);
                    out.set(base + k * inner, e);
                    sum += e;
                }
                for (int k = 0; k < length; k++) {
                    out.set(base + k * inner, out.get(base + k * inner) / sum);
                }
            }
        }
    }

    /** {@code dx = y * (dy - sum(y * dy))} along {@code axis}, or {@code +=} with {@code accumulate}. */
    public static void backward(INDArray y, INDArray dy, INDArray dx, int axis, boolean accumulate) {
        Vec out = Vec.of(y);
        Vec g = Vec.of(dy);
        Vec d = Vec.of(dx);
        int length = Math.toIntExact(y.size(axis));
        int inner = inner(y, axis);
        int outer = out.length() / (length * inner);
        for (int o = 0; o < outer; o++) {
            for (int j = 0; j < inner; j++) {
                int base = o * length * inner + j;
                double dot = 0;
                for (int k = 0; k < length; k++) {
                    dot += out.get(base + k * inner) * g.get(base + k * inner);
                }
                for (int k = 0; k < length; k++) {
                    int at = base + k * inner;
                    double r = out.get(at) * (g.get(at) - dot);
                    d.set(at, accumulate ? d.get(at) + r : r);
                }
            }
        }
    }

    private static int inner(INDArray a, int axis) {
        long inner = 1;
        for (int k = axis + 1; k < a.rank(); k++) {
            inner *= a.size(k);
        }
        return Math.toIntExact(inner);
    }
}
