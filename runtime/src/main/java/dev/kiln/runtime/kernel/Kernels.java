package dev.kiln.runtime.kernel;

import java.util.Arrays;
import java.util.SplittableRandom;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/**
 * The kernels generated models call: BLAS gemm straight into preallocated outputs (transposes by flag, never by
 * copy), and one-pass loops for the element-wise work around it.
 */
public final class Kernels {
    private Kernels() {
    }

    /**
     * {@code c = op(a) @ op(b)}, where op transposes when its flag is set. Contiguous C-ordered float arrays (all a
     * generated model plans) go to {@link Blas}, striped over Kiln's threads; others (strided views, F order) to
     * {@code Nd4j.gemm}.
     */
    public static void gemm(INDArray a, INDArray b, INDArray c, boolean transA, boolean transB) {
        product(a, b, c, transA, transB, 0.0);
    }

    /** {@code c += op(a) @ op(b)}: a second contribution to the same gradient. */
    public static void gemmAccumulate(INDArray a, INDArray b, INDArray c, boolean transA, boolean transB) {
        product(a, b, c, transA, transB, 1.0);
    }

    private static void product(INDArray a, INDArray b, INDArray c, boolean transA, boolean transB, double beta) {
        INDArray out = output(c);
        INDArray left = matrix(a);
        INDArray right = matrix(b);
        if (Blas.direct(left, right, out)) {
            Blas.gemm(left, right, out, transA, transB, beta);
        } else {
            Nd4j.gemm(left, right, out, transA, transB, 1.0, beta);
        }
    }

    /** {@code c} as gemm's output matrix; ND4J's gemm writes only into one unbroken block of memory. */
    private static INDArray output(INDArray c) {
        INDArray m = matrix(c);
        if (m.elementWiseStride() != 1) {
            throw new IllegalArgumentException("gemm writes into a contiguous array (C or F order), got shape "
                    + Arrays.toString(c.shape()) + " strides " + Arrays.toString(c.stride()));
        }
        return m;
    }

    /**
     * The array as a matrix of its rows: {@code (d0 * ... * d(n-2), d(n-1))}, a view. Dense acts on the last axis, so a
     * rank-3 {@code (batch, time, features)} tensor goes through gemm as {@code (batch * time, features)}. An array of
     * another rank must be contiguous in C order: reshaping any other would copy it, and gemm's result would be lost.
     */
    public static INDArray matrix(INDArray a) {
        if (a.rank() == 2) {
            return a;
        }
        if (!Vec.isContiguous(a)) {
            throw new IllegalArgumentException("gemm views a rank-" + a.rank() + " array as a matrix of its rows, which "
                    + "needs a contiguous C-ordered array, got shape " + Arrays.toString(a.shape()) + " strides "
                    + Arrays.toString(a.stride()));
        }
        long last = a.size(a.rank() - 1);
        return a.reshape('c', a.length() / last, last);
    }

    /** {@code y += bias}, broadcast along the last axis. */
    public static void addBias(INDArray y, INDArray bias) {
        Vec out = Vec.of(y);
        Vec b = Vec.of(bias);
        int width = b.length;
        for (int i = 0, n = out.length; i < n; i++) {
            out.set(i, out.get(i) + b.get(i % width));
        }
    }

    /** {@code dBias = sum of dy over every axis but the last} (or {@code +=} with {@code accumulate}). */
    public static void biasGradient(INDArray dy, INDArray dBias, boolean accumulate) {
        java.nio.FloatBuffer gf = Vec.floats(dy);
        java.nio.FloatBuffer df = Vec.floats(dBias);
        if (gf != null && df != null) {
            int width = df.limit();
            float[] sums = new float[width];
            for (int row = 0, n = gf.limit(); row < n; row += width) {
                for (int j = 0; j < width; j++) {
                    sums[j] += gf.get(row + j);
                }
            }
            for (int j = 0; j < width; j++) {
                df.put(j, accumulate ? df.get(j) + sums[j] : sums[j]);
            }
            return;
        }
        Vec g = Vec.of(dy);
        Vec d = Vec.of(dBias);
        int width = d.length;
        double[] sums = new double[width];
        for (int i = 0, n = g.length; i < n; i++) {
            sums[i % width] += g.get(i);
        }
        for (int j = 0; j < width; j++) {
            d.set(j, accumulate ? d.get(j) + sums[j] : sums[j]);
        }
    }

    /** {@code dst = src}, or {@code dst += src} with {@code accumulate}: a gradient passed through unchanged. */
    public static void copy(INDArray src, INDArray dst, boolean accumulate) {
        Vec s = Vec.of(src);
        Vec d = Vec.of(dst);
        for (int i = 0, n = s.length; i < n; i++) {
            d.set(i, accumulate ? d.get(i) + s.get(i) : s.get(i));
        }
    }

    /**
     * Keras's inverted dropout in training: each element is kept with probability {@code 1 - rate} and scaled by
     * {@code 1 / (1 - rate)}. The scale factor of every element (0 or {@code 1 / (1 - rate)}) is left in {@code mask}
     * for the backward pass.
     */
    public static void dropout(INDArray x, INDArray mask, INDArray y, double rate, SplittableRandom random) {
        Vec in = Vec.of(x);
        Vec m = Vec.of(mask);
        Vec out = Vec.of(y);
        double scale = 1 / (1 - rate);
        for (int i = 0, n = in.length; i < n; i++) {
            double keep = random.nextDouble() >= rate ? scale : 0;
            m.set(i, keep);
            out.set(i, in.get(i) * keep);
        }
    }

    /** {@code dx = dy * mask} (or {@code +=}): the backward pass of dropout. */
    public static void multiply(INDArray dy, INDArray mask, INDArray dx, boolean accumulate) {
        Vec g = Vec.of(dy);
        Vec m = Vec.of(mask);
        Vec d = Vec.of(dx);
        for (int i = 0, n = g.length; i < n; i++) {
            double v = g.get(i) * m.get(i);
            d.set(i, accumulate ? d.get(i) + v : v);
        }
    }
}
