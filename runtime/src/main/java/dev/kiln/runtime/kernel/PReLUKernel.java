package dev.kiln.runtime.kernel;

import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * Keras's {@code PReLU} layer: {@code x} for {@code x >= 0}, {@code alpha * x} below, with {@code alpha} of one sample's
 * shape where each axis is either the sample's or 1 (shared, broadcast along it).
 */
public final class PReLUKernel {
    private PReLUKernel() {
    }

    /** {@code y = prelu(x)}; {@code y} may be {@code x}. */
    public static void forward(INDArray x, INDArray alpha, INDArray y) {
        Vec in = Vec.of(x);
        Vec a = Vec.of(alpha);
        Vec out = Vec.of(y);
        long[] sample = x.shape();
        long[] slopes = alpha.shape();
        for (int i = 0, n = in.length(); i < n; i++) {
            double v = in.get(i);
            out.set(i, v >= 0 ? v : a.get(alphaIndex(i, sample, slopes)) * v);
        }
    }

    /**
     * The backward pass: {@code dx = dy * (x >= 0 ? 1 : alpha)} into {@code dx} unless it is null, and {@code dAlpha}
     * the sum of {@code dy * min(x, 0)} over the batch and the shared axes unless it is null; each written, or added with
     * its {@code accumulate} flag.
     */
    public static void backward(INDArray x, INDArray alpha, INDArray dy, INDArray dx, boolean accumulateInput,
            INDArray dAlpha, boolean accumulateAlpha) {
        Vec in = Vec.of(x);
        Vec a = Vec.of(alpha);
        Vec g = Vec.of(dy);
        Vec d = dx == null ? null : Vec.of(dx);
        Vec da = dAlpha == null ? null : Vec.of(dAlpha);
        if (da != null && !accumulateAlpha) {
            for (int k = 0; k < da.length(); k++) {
                da.set(k, 0);
            }
        }
        long[] sample = x.shape();
        long[] slopes = alpha.shape();
        for (int i = 0, n = in.length(); i < n; i++) {
            double v = in.get(i);
            int k = alphaIndex(i, sample, slopes);
            if (da != null && v < 0) {
                da.set(k, da.get(k) + g.get(i) * v);
            }
            if (d != null) {
                double r = g.get(i) * (v >= 0 ? 1 : a.get(k));
                d.set(i, accumulateInput ? d.get(i) + r : r);
            }
        }
    }

    /**
     * The element of {@code alpha} (shape {@code slopes}) that scales element {@code i} (C order) of a batch of shape
     * {@code batch}: the sample's coordinates, with 0 on every shared axis.
     */
    private static int alphaIndex(int i, long[] batch, long[] slopes) {
        long rest = i;
        long at = 0;
        long stride = 1;
        for (int k = slopes.length - 1; k >= 0; k--) {
            long size = batch[k + 1];
            long coordinate = rest % size;
            rest /= size;
            at += (slopes[k] == 1 ? 0 : coordinate) * stride;
            stride *= slopes[k];
        }
        return (int) at;
    }
}
