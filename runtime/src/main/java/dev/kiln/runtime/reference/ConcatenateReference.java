package dev.kiln.runtime.reference;

import com.google.auto.service.AutoService;
import dev.kiln.runtime.layer.ConcatenateConfig;
import org.nd4j.linalg.api.ndarray.INDArray;

/** {@code Concatenate}: each input's values placed at its offset along the axis; backward cuts the slices out again. */
@AutoService(LayerReference.class)
public final class ConcatenateReference implements LayerReference<ConcatenateConfig> {
    @Override
    public Class<ConcatenateConfig> configType() {
        return ConcatenateConfig.class;
    }

    @Override
    public INDArray forward(ConcatenateConfig c, INDArray[] inputs, LayerWeights w) {
        long[] out = outputShape(c, inputs);
        int axis = axis(c, inputs[0]);
        double[] y = new double[(int) Naive.length(out)];
        long offset = 0;
        for (INDArray x : inputs) {
            double[] xs = Naive.values(x);
            long[] outStrides = Naive.strides(out);
            for (int i = 0; i < xs.length; i++) {
                long[] idx = Naive.index(i, x.shape());
                idx[axis] += offset;
                y[(int) flat(idx, outStrides)] = xs[i];
            }
            offset += x.size(axis);
        }
        return Naive.array(y, out, inputs[0]);
    }

    @Override
    public INDArray[] backward(ConcatenateConfig c, INDArray[] inputs, INDArray output, INDArray dy, LayerWeights w) {
        int axis = axis(c, inputs[0]);
        double[] g = Naive.values(dy);
        long[] outStrides = Naive.strides(dy.shape());
        INDArray[] dxs = new INDArray[inputs.length];
        long offset = 0;
        for (int k = 0; k < inputs.length; k++) {
            INDArray x = inputs[k];
            double[] dx = new double[(int) x.length()];
            for (int i = 0; i < dx.length; i++) {
                long[] idx = Naive.index(i, x.shape());
                idx[axis] += offset;
                dx[i] = g[(int) flat(idx, outStrides)];
            }
            dxs[k] = Naive.array(dx, x.shape(), x);
            offset += x.size(axis);
        }
        return dxs;
    }

    private static long[] outputShape(ConcatenateConfig c, INDArray[] inputs) {
        long[] out = inputs[0].shape().clone();
        int axis = axis(c, inputs[0]);
        for (int k = 1; k < inputs.length; k++) {
            out[axis] += inputs[k].size(axis);
        }
        return out;
    }

    private static int axis(ConcatenateConfig c, INDArray x) {
        return c.axis() < 0 ? x.rank() + c.axis() : c.axis();
    }

    private static long flat(long[] idx, long[] strides) {
        long f = 0;
        for (int a = 0; a < idx.length; a++) {
            f += idx[a] * strides[a];
        }
        return f;
    }
}
