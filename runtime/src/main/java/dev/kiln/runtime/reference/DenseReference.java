package dev.kiln.runtime.reference;

import com.google.auto.service.AutoService;
import dev.kiln.runtime.layer.DenseConfig;
import org.nd4j.linalg.api.ndarray.INDArray;

/** {@code y = f(x @ kernel + bias)} over the last axis, by triple loop. */
@AutoService(LayerReference.class)
public final class DenseReference implements LayerReference<DenseConfig> {
    @Override
    public Class<DenseConfig> configType() {
        return DenseConfig.class;
    }

    @Override
    public INDArray forward(DenseConfig c, INDArray[] inputs, LayerWeights w) {
        double[] z = preActivation(c, inputs[0], w);
        double[] y = ActivationReference.apply(c.activation(), z, c.units());
        return Naive.array(y, outputShape(inputs[0], c), inputs[0]);
    }

    @Override
    public INDArray[] backward(DenseConfig c, INDArray[] inputs, INDArray output, INDArray dy, LayerWeights w) {
        INDArray x = inputs[0];
        int in = (int) x.size(-1);
        int units = c.units();
        double[] xs = Naive.values(x);
        double[] k = Naive.values(w.get("kernel"));
        double[] dz = ActivationReference.backward(c.activation(), preActivation(c, x, w), Naive.values(dy), units);
        int rows = xs.length / in;
        double[] dk = new double[in * units];
        double[] db = new double[units];
        double[] dx = new double[xs.length];
        for (int r = 0; r < rows; r++) {
            for (int o = 0; o < units; o++) {
                double g = dz[r * units + o];
                db[o] += g;
                for (int i = 0; i < in; i++) {
                    dk[i * units + o] += xs[r * in + i] * g;
                    dx[r * in + i] += k[i * units + o] * g;
                }
            }
        }
        w.addGradient("kernel", Naive.array(dk, new long[] {in, units}, x));
        if (c.useBias()) {
            w.addGradient("bias", Naive.array(db, new long[] {units}, x));
        }
        return new INDArray[] {Naive.array(dx, x.shape(), x)};
    }

    private static double[] preActivation(DenseConfig c, INDArray x, LayerWeights w) {
        int in = (int) x.size(-1);
        int units = c.units();
        double[] xs = Naive.values(x);
        double[] k = Naive.values(w.get("kernel"));
        double[] b = c.useBias() ? Naive.values(w.get("bias")) : new double[units];
        int rows = xs.length / in;
        double[] z = new double[rows * units];
        for (int r = 0; r < rows; r++) {
            for (int o = 0; o < units; o++) {
                double s = b[o];
                for (int i = 0; i < in; i++) {
                    s += xs[r * in + i] * k[i * units + o];
                }
                z[r * units + o] = s;
            }
        }
        return z;
    }

    private static long[] outputShape(INDArray x, DenseConfig c) {
        long[] shape = x.shape().clone();
        shape[shape.length - 1] = c.units();
        return shape;
    }
}
