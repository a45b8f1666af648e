package dev.kiln.runtime.reference;

import com.google.auto.service.AutoService;
import dev.kiln.runtime.layer.BatchNormalizationConfig;
import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * Keras's {@code BatchNormalization} as the reference runs it, in inference mode (as it runs Dropout):
 * {@code y = gamma (x - moving_mean) / sqrt(moving_variance + epsilon) + beta}, channel by channel.
 */
@AutoService(LayerReference.class)
public final class BatchNormalizationReference implements LayerReference<BatchNormalizationConfig> {
    @Override
    public Class<BatchNormalizationConfig> configType() {
        return BatchNormalizationConfig.class;
    }

    @Override
    public INDArray forward(BatchNormalizationConfig c, INDArray[] inputs, LayerWeights w) {
        double[] x = Naive.values(inputs[0]);
        double[] mean = Naive.values(w.get("moving_mean"));
        double[] variance = Naive.values(w.get("moving_variance"));
        double[] gamma = c.scale() ? Naive.values(w.get("gamma")) : null;
        double[] beta = c.center() ? Naive.values(w.get("beta")) : null;
        double[] y = new double[x.length];
        for (int i = 0; i < x.length; i++) {
            int ch = i % mean.length;
            double h = (x[i] - mean[ch]) / Math.sqrt(variance[ch] + c.epsilon());
            y[i] = (gamma == null ? 1 : gamma[ch]) * h + (beta == null ? 0 : beta[ch]);
        }
        return Naive.array(y, inputs[0].shape(), inputs[0]);
    }

    @Override
    public INDArray[] backward(BatchNormalizationConfig c, INDArray[] inputs, INDArray output, INDArray dy,
            LayerWeights w) {
        double[] x = Naive.values(inputs[0]);
        double[] g = Naive.values(dy);
        double[] mean = Naive.values(w.get("moving_mean"));
        double[] variance = Naive.values(w.get("moving_variance"));
        double[] gamma = c.scale() ? Naive.values(w.get("gamma")) : null;
        double[] dx = new double[x.length];
        double[] dGamma = new double[mean.length];
        double[] dBeta = new double[mean.length];
        for (int i = 0; i < x.length; i++) {
            int ch = i % mean.length;
            double std = Math.sqrt(variance[ch] + c.epsilon());
            dx[i] = g[i] * (gamma == null ? 1 : gamma[ch]) / std;
            dGamma[ch] += g[i] * (x[i] - mean[ch]) / std;
            dBeta[ch] += g[i];
        }
        if (c.scale()) {
            w.addGradient("gamma", Naive.array(dGamma, new long[] {mean.length}, dy));
        }
        if (c.center()) {
            w.addGradient("beta", Naive.array(dBeta, new long[] {mean.length}, dy));
        }
        return new INDArray[] {Naive.array(dx, inputs[0].shape(), inputs[0])};
    }
}
