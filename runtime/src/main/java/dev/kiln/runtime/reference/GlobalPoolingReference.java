package dev.kiln.runtime.reference;

import com.google.auto.service.AutoService;
import dev.kiln.runtime.layer.GlobalPoolingConfig;
import dev.kiln.runtime.layer.PoolingConfig;
import org.nd4j.linalg.api.ndarray.INDArray;

/** Global pooling by a loop over each sample's positions per channel; backward to the maximum or spread evenly. */
@AutoService(LayerReference.class)
public final class GlobalPoolingReference implements LayerReference<GlobalPoolingConfig> {
    @Override
    public Class<GlobalPoolingConfig> configType() {
        return GlobalPoolingConfig.class;
    }

    @Override
    public INDArray forward(GlobalPoolingConfig c, INDArray[] inputs, LayerWeights w) {
        INDArray x = inputs[0];
        double[] xs = Naive.values(x);
        int batch = (int) x.size(0);
        int ch = (int) x.size(-1);
        int n = xs.length / batch / ch;
        double[] y = new double[batch * ch];
        for (int b = 0; b < batch; b++) {
            for (int k = 0; k < ch; k++) {
                double v = c.op() == PoolingConfig.Op.MAX ? Double.NEGATIVE_INFINITY : 0;
                for (int p = 0; p < n; p++) {
                    double e = xs[(b * n + p) * ch + k];
                    v = c.op() == PoolingConfig.Op.MAX ? Math.max(v, e) : v + e / n;
                }
                y[b * ch + k] = v;
            }
        }
        return Naive.array(y, new long[] {batch, ch}, x);
    }

    @Override
    public INDArray[] backward(GlobalPoolingConfig c, INDArray[] inputs, INDArray output, INDArray dy,
            LayerWeights w) {
        INDArray x = inputs[0];
        double[] xs = Naive.values(x);
        double[] g = Naive.values(dy);
        int batch = (int) x.size(0);
        int ch = (int) x.size(-1);
        int n = xs.length / batch / ch;
        double[] dx = new double[xs.length];
        for (int b = 0; b < batch; b++) {
            for (int k = 0; k < ch; k++) {
                int best = 0;
                for (int p = 0; p < n; p++) {
                    if (c.op() == PoolingConfig.Op.AVERAGE) {
                        dx[(b * n + p) * ch + k] = g[b * ch + k] / n;
                    } else if (xs[(b * n + p) * ch + k] > xs[(b * n + best) * ch + k]) {
                        best = p;
                    }
                }
                if (c.op() == PoolingConfig.Op.MAX) {
                    dx[(b * n + best) * ch + k] = g[b * ch + k];
                }
            }
        }
        return new INDArray[] {Naive.array(dx, x.shape(), x)};
    }

    /** Keras's masked average: the sum over kept steps divided by their number (0 when none is kept). */
    @Override
    public INDArray forward(GlobalPoolingConfig c, INDArray[] inputs, INDArray mask, LayerWeights w) {
        if (mask == null) {
            return forward(c, inputs, w);
        }
        INDArray x = inputs[0];
        double[] xs = Naive.values(x);
        double[] keep = Naive.values(mask);
        int batch = (int) x.size(0);
        int ch = (int) x.size(-1);
        int n = xs.length / batch / ch;
        double[] y = new double[batch * ch];
        for (int b = 0; b < batch; b++) {
            double kept = 0;
            for (int p = 0; p < n; p++) {
                kept += keep[b * n + p];
            }
            for (int k = 0; k < ch; k++) {
                double sum = 0;
                for (int p = 0; p < n; p++) {
                    sum += keep[b * n + p] * xs[(b * n + p) * ch + k];
                }
                y[b * ch + k] = kept == 0 ? 0 : sum / kept;
            }
        }
        return Naive.array(y, new long[] {batch, ch}, x);
    }

    @Override
    public INDArray[] backward(GlobalPoolingConfig c, INDArray[] inputs, INDArray mask, INDArray output, INDArray dy,
            LayerWeights w) {
        if (mask == null) {
            return backward(c, inputs, output, dy, w);
        }
        INDArray x = inputs[0];
        double[] keep = Naive.values(mask);
        double[] g = Naive.values(dy);
        int batch = (int) x.size(0);
        int ch = (int) x.size(-1);
        int n = (int) (x.length() / batch / ch);
        double[] dx = new double[(int) x.length()];
        for (int b = 0; b < batch; b++) {
            double kept = 0;
            for (int p = 0; p < n; p++) {
                kept += keep[b * n + p];
            }
            for (int p = 0; p < n; p++) {
                for (int k = 0; k < ch; k++) {
                    dx[(b * n + p) * ch + k] = kept == 0 ? 0 : g[b * ch + k] * keep[b * n + p] / kept;
                }
            }
        }
        return new INDArray[] {Naive.array(dx, x.shape(), x)};
    }
}
