package dev.kiln.runtime.reference;

import com.google.auto.service.AutoService;
import dev.kiln.runtime.layer.MergeConfig;
import dev.kiln.runtime.layer.MergeConfig.Op;
import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * The element-wise merges with broadcasting (an axis of length 1 repeats along the output's), element by element.
 * Maximum and minimum send the gradient to every input that attains the extreme.
 */
@AutoService(LayerReference.class)
public final class MergeReference implements LayerReference<MergeConfig> {
    @Override
    public Class<MergeConfig> configType() {
        return MergeConfig.class;
    }

    @Override
    public INDArray forward(MergeConfig c, INDArray[] inputs, LayerWeights w) {
        long[] out = outputShape(inputs);
        double[][] xs = values(inputs);
        double[] y = new double[(int) Naive.length(out)];
        for (int o = 0; o < y.length; o++) {
            long[] idx = Naive.index(o, out);
            double acc = xs[0][at(inputs[0], idx)];
            for (int k = 1; k < inputs.length; k++) {
                double v = xs[k][at(inputs[k], idx)];
                acc = switch (c.op()) {
                    case ADD, AVERAGE -> acc + v;
                    case SUBTRACT -> acc - v;
                    case MULTIPLY -> acc * v;
                    case MAXIMUM -> Math.max(acc, v);
                    case MINIMUM -> Math.min(acc, v);
                };
            }
            y[o] = c.op() == Op.AVERAGE ? acc / inputs.length : acc;
        }
        return Naive.array(y, out, inputs[0]);
    }

    @Override
    public INDArray[] backward(MergeConfig c, INDArray[] inputs, INDArray output, INDArray dy, LayerWeights w) {
        long[] out = dy.shape();
        double[][] xs = values(inputs);
        double[] g = Naive.values(dy);
        double[] y = Naive.values(output);
        double[][] dxs = new double[inputs.length][];
        for (int k = 0; k < inputs.length; k++) {
            dxs[k] = new double[xs[k].length];
        }
        for (int o = 0; o < g.length; o++) {
            long[] idx = Naive.index(o, out);
            for (int k = 0; k < inputs.length; k++) {
                int i = at(inputs[k], idx);
                double v = xs[k][i];
                double local = switch (c.op()) {
                    case ADD -> 1;
                    case AVERAGE -> 1.0 / inputs.length;
                    case SUBTRACT -> k == 0 ? 1 : -1;
                    case MULTIPLY -> product(xs, inputs, idx, k);
                    case MAXIMUM, MINIMUM -> v == y[o] ? 1 : 0;
                };
                dxs[k][i] += g[o] * local;
            }
        }
        INDArray[] result = new INDArray[inputs.length];
        for (int k = 0; k < inputs.length; k++) {
            result[k] = Naive.array(dxs[k], inputs[k].shape(), inputs[k]);
        }
        return result;
    }

    /** The product of every input but {@code skip} at output index {@code idx}. */
    private static double product(double[][] xs, INDArray[] inputs, long[] idx, int skip) {
        double p = 1;
        for (int k = 0; k < inputs.length; k++) {
            if (k != skip) {
                p *= xs[k][at(inputs[k], idx)];
            }
        }
        return p;
    }

    /** The flat position in {@code x} that output index {@code idx} reads (broadcast axes read index 0). */
    private static int at(INDArray x, long[] idx) {
        long[] shape = x.shape();
        long[] strides = Naive.strides(shape);
        long f = 0;
        for (int a = 0; a < idx.length; a++) {
            f += (shape[a] == 1 ? 0 : idx[a]) * strides[a];
        }
        return (int) f;
    }

    private static long[] outputShape(INDArray[] inputs) {
        long[] out = inputs[0].shape().clone();
        for (INDArray x : inputs) {
            for (int a = 0; a < out.length; a++) {
                out[a] = Math.max(out[a], x.size(a));
            }
        }
        return out;
    }

    private static double[][] values(INDArray[] inputs) {
        double[][] xs = new double[inputs.length][];
        for (int k = 0; k < inputs.length; k++) {
            xs[k] = Naive.values(inputs[k]);
        }
        return xs;
    }
}
