package dev.kiln.runtime.reference;

import com.google.auto.service.AutoService;
import dev.kiln.runtime.layer.PermuteConfig;
import org.nd4j.linalg.api.ndarray.INDArray;

/** {@code Permute}: output axis {@code i} is input axis {@code dims[i]} (1-based; the batch axis stays first). */
@AutoService(LayerReference.class)
public final class PermuteReference implements LayerReference<PermuteConfig> {
    @Override
    public Class<PermuteConfig> configType() {
        return PermuteConfig.class;
    }

    @Override
    public INDArray forward(PermuteConfig c, INDArray[] inputs, LayerWeights w) {
        INDArray x = inputs[0];
        int[] order = order(c);
        long[] in = x.shape();
        long[] out = new long[in.length];
        for (int i = 0; i < out.length; i++) {
            out[i] = in[order[i]];
        }
        return Naive.array(move(Naive.values(x), in, out, order, true), out, x);
    }

    @Override
    public INDArray[] backward(PermuteConfig c, INDArray[] inputs, INDArray output, INDArray dy, LayerWeights w) {
        INDArray x = inputs[0];
        double[] dx = move(Naive.values(dy), x.shape(), dy.shape(), order(c), false);
        return new INDArray[] {Naive.array(dx, x.shape(), x)};
    }

    /** Forward: {@code y[o] = x[in(o)]}; backward ({@code forward = false}): {@code dx[in(o)] = dy[o]}. */
    private static double[] move(double[] src, long[] inShape, long[] outShape, int[] order, boolean forward) {
        long[] inStrides = Naive.strides(inShape);
        double[] dst = new double[src.length];
        for (int o = 0; o < src.length; o++) {
            long[] idx = Naive.index(o, outShape);
            long i = 0;
            for (int a = 0; a < idx.length; a++) {
                i += idx[a] * inStrides[order[a]];
            }
            if (forward) {
                dst[o] = src[(int) i];
            } else {
                dst[(int) i] = src[o];
            }
        }
        return dst;
    }

    private static int[] order(PermuteConfig c) {
        int[] dims = c.dims();
        int[] order = new int[dims.length + 1];
        System.arraycopy(dims, 0, order, 1, dims.length);
        return order;
    }
}
