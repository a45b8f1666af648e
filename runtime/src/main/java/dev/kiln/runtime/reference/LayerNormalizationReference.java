package dev.kiln.runtime.reference;

import com.google.auto.service.AutoService;
import dev.kiln.runtime.layer.LayerNormalizationConfig;
import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * Keras's {@code LayerNormalization} row by row; the backward pass through the full Jacobian of the normalization,
 * {@code dxhat_j/dx_i = invStd (delta_ij - 1/n - xhat_i xhat_j / n)}.
 */
@AutoService(LayerReference.class)
public final class LayerNormalizationReference implements LayerReference<LayerNormalizationConfig> {
    @Override
    public Class<LayerNormalizationConfig> configType() {
        return LayerNormalizationConfig.class;
    }

    @Override
    public INDArray forward(LayerNormalizationConfig c, INDArray[] inputs, LayerWeights w) {
        int n = (int) inputs[0].size(-1);
        double[] x = Naive.values(inputs[0]);
        double[] gamma = c.scale() ? Naive.values(w.get("gamma")) : null;
        double[] beta = c.center() ? Naive.values(w.get("beta")) : null;
        double[] y = new double[x.length];
        for (int at = 0; at < x.length; at += n) {
            double[] h = normalized(x, at, n, c.epsilon());
            for (int j = 0; j < n; j++) {
                y[at + j] = (gamma == null ? 1 : gamma[j]) * h[j] + (beta == null ? 0 : beta[j]);
            }
        }
        return Naive.array(y, inputs[0].shape(), inputs[0]);
    }

    @Override
    public INDArray[] backward(LayerNormalizationConfig c, INDArray[] inputs, INDArray output, INDArray dy,
            LayerWeights w) {
        int n = (int) inputs[0].size(-1);
        double[] x = Naive.values(inputs[0]);
        double[] g = Naive.values(dy);
        double[] gamma = c.scale() ? Naive.values(w.get("gamma")) : null;
        double[] dx = new double[x.length];
        double[] dGamma = new double[n];
        double[] dBeta = new double[n];
        for (int at = 0; at < x.length; at += n) {
            double[] h = normalized(x, at, n, c.epsilon());
            double mean = 0;
            for (int j = 0; j < n; j++) {
                mean += x[at + j] / n;
            }
            double variance = 0;
            for (int j = 0; j < n; j++) {
                variance += (x[at + j] - mean) * (x[at + j] - mean) / n;
            }
            double invStd = 1 / Math.sqrt(variance + c.epsilon());
            for (int j = 0; j < n; j++) {
                dGamma[j] += g[at + j] * h[j];
                dBeta[j] += g[at + j];
                double dh = g[at + j] * (gamma == null ? 1 : gamma[j]);
                for (int i = 0; i < n; i++) {
                    dx[at + i] += dh * invStd * ((i == j ? 1 : 0) - 1.0 / n - h[i] * h[j] / n);
                }
            }
        }
        if (c.scale()) {
            w.addGradient("gamma", Naive.array(dGamma, new long[] {n}, dy));
        }
        if (c.center()) {
            w.addGradient("beta", Naive.array(dBeta, new long[] {n}, dy));
        }
        return new INDArray[] {Naive.array(dx, inputs[0].shape(), inputs[0])};
    }

    private static double[] normalized(double[] x, int at, int n, double epsilon) {
        double mean = 0;
        for (int j = 0; j < n; j++) {
            mean += x[at + j] / n;
        }
        double variance = 0;
        for (int j = 0; j < n; j++) {
            variance += (x[at + j] - mean) * (x[at + j] - mean) / n;
        }
        double[] h = new double[n];
        for (int j = 0; j < n; j++) {
            h[j] = (x[at + j] - mean) / Math.sqrt(variance + epsilon);
        }
        return h;
    }
}
