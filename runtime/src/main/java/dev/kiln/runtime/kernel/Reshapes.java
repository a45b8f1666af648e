package dev.kiln.runtime.kernel;

import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * The shape layers' kernels: {@code Concatenate} along an axis, {@code Permute}, {@code RepeatVector}, and the
 * element-order-preserving {@code Flatten}/{@code Reshape} (a plain {@link Kernels#copy}).
 */
public final class Reshapes {
    private Reshapes() {
    }

    /** {@code y = concatenate(xs, axis)}, {@code axis} counted with the batch axis (Keras's), non-negative. */
    public static void concatenate(int axis, INDArray y, INDArray... xs) {
        Vec out = Vec.of(y);
        long outer = 1;
        for (int d = 0; d < axis; d++) {
            outer *= y.size(d);
        }
        int offset = 0;
        int outBlock = (int) (y.length() / outer);
        for (INDArray x : xs) {
            Vec in = Vec.of(x);
            int block = (int) (x.length() / outer);
            for (int o = 0; o < outer; o++) {
                for (int j = 0; j < block; j++) {
                    out.set(o * outBlock + offset + j, in.get(o * block + j));
                }
            }
            offset += block;
        }
    }

    /** The slice of {@code dy} that belongs to input {@code i} of a concatenation, into {@code dx} (or added). */
    public static void concatenateBackward(int axis, int i, INDArray dy, INDArray dx, boolean accumulate,
            INDArray... xs) {
        Vec g = Vec.of(dy);
        Vec d = Vec.of(dx);
        long outer = 1;
        for (int a = 0; a < axis; a++) {
            outer *= dy.size(a);
        }
        int outBlock = (int) (dy.length() / outer);
        int offset = 0;
        for (int k = 0; k < i; k++) {
            offset += (int) (xs[k].length() / outer);
        }
        int block = (int) (dx.length() / outer);
        for (int o = 0; o < outer; o++) {
            for (int j = 0; j < block; j++) {
                double v = g.get(o * outBlock + offset + j);
                int at = o * block + j;
                d.set(at, accumulate ? d.get(at) + v : v);
            }
        }
    }

    /** {@code y = x} with its axes reordered: {@code y} axis {@code k} is {@code x} axis {@code order[k]}. */
    public static void permute(int[] order, INDArray x, INDArray y) {
        y.assign(x.permute(order));
    }

    /** {@code dx = dy} with the axes put back ({@code +=} with {@code accumulate}). */
    public static void permuteBackward(int[] order, INDArray dy, INDArray dx, boolean accumulate) {
        int[] inverse = new int[order.length];
        for (int k = 0; k < order.length; k++) {
            inverse[order[k]] = k;
        }
        if (accumulate) {
            dx.addi(dy.permute(inverse));
        } else {
            dx.assign(dy.permute(inverse));
        }
    }

    /** {@code y[b, r, :] = x[b, :]} for each of the {@code n} repeats. */
    public static void repeat(INDArray x, INDArray y) {
        Vec in = Vec.of(x);
        Vec out = Vec.of(y);
        int batch = (int) x.size(0);
        int width = (int) (x.length() / batch);
        int n = (int) (y.length() / x.length());
        for (int b = 0; b < batch; b++) {
            for (int r = 0; r < n; r++) {
                for (int j = 0; j < width; j++) {
                    out.set((b * n + r) * width + j, in.get(b * width + j));
                }
            }
        }
    }

    /** {@code dx = sum over repeats of dy}. */
    public static void repeatBackward(INDArray dy, INDArray dx, boolean accumulate) {
        Vec g = Vec.of(dy);
        Vec d = Vec.of(dx);
        int batch = (int) dx.size(0);
        int width = (int) (dx.length() / batch);
        int n = (int) (dy.length() / dx.length());
        for (int b = 0; b < batch; b++) {
            for (int j = 0; j < width; j++) {
                double s = 0;
                for (int r = 0; r < n; r++) {
                    s += g.get((b * n + r) * width + j);
                }
                int at = b * width + j;
                d.set(at, accumulate ? d.get(at) + s : s);
            }
        }
    }
}
