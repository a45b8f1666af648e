package dev.kiln.runtime.kernel;

import java.util.SplittableRandom;
import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * Keras's spatial dropout: one draw per sample and channel (the last axis), applied to every position of that
 * channel; kept channels are scaled by {@code 1 / (1 - rate)}. The scale of each (sample, channel) is left in
 * {@code mask} for the backward pass.
 */
public final class SpatialDropoutKernel {
    private SpatialDropoutKernel() {
    }

    /** Training: {@code y = x * mask[sample, channel]} with a fresh mask. */
    public static void forward(INDArray x, INDArray mask, INDArray y, double rate, SplittableRandom random) {
        Vec m = Vec.of(mask);
        double scale = 1 / (1 - rate);
        int batch = Math.toIntExact(x.size(0));
        int channels = Math.toIntExact(x.size(x.rank() - 1));
        for (int i = 0; i < batch * channels; i++) {
            m.set(i, random.nextDouble() >= rate ? scale : 0);
        }
        apply(x, mask, y, false, batch, channels);
    }

    /** {@code dx = dy * mask[sample, channel]}, or {@code +=} with {@code accumulate}. */
    public static void backward(INDArray dy, INDArray mask, INDArray dx, boolean accumulate) {
        apply(dy, mask, dx, accumulate, Math.toIntExact(dy.size(0)), Math.toIntExact(dy.size(dy.rank() - 1)));
    }

    private static void apply(INDArray x, INDArray mask, INDArray y, boolean accumulate, int batch, int channels) {
        Vec in = Vec.of(x);
        Vec m = Vec.of(mask);
        Vec out = Vec.of(y);
        int perSample = in.length() / batch;
        for (int i = 0, n = in.length(); i < n; i++) {
            double v = in.get(i) * m.get((i / perSample) * channels + i % channels);
            out.set(i, accumulate ? out.get(i) + v : v);
        }
    }
}
