package dev.kiln.runtime.reference;

import com.google.auto.service.AutoService;
import dev.kiln.runtime.layer.ReLUConfig;
import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * Keras's {@code ReLU} as its own code composes it: {@code x} kept above the threshold, clipped to {@code [0, max]},
 * less {@code negativeSlope * relu(threshold - x)}.
 */
@AutoService(LayerReference.class)
public final class ReLUReference implements LayerReference<ReLUConfig> {
    @Override
    public Class<ReLUConfig> configType() {
        return ReLUConfig.class;
    }

    @Override
    public INDArray forward(ReLUConfig c, INDArray[] inputs, LayerWeights w) {
        double[] x = Naive.values(inputs[0]);
        double[] y = new double[x.length];
        for (int i = 0; i < x.length; i++) {
            double kept = x[i] > c.threshold() ? x[i] : 0;
            double clipped = Math.max(0, Math.min(kept, c.maxValue()));
            y[i] = clipped - c.negativeSlope() * Math.max(0, c.threshold() - x[i]);
        }
        return Naive.array(y, inputs[0].shape(), inputs[0]);
    }

    @Override
    public INDArray[] backward(ReLUConfig c, INDArray[] inputs, INDArray output, INDArray dy, LayerWeights w) {
        double[] x = Naive.values(inputs[0]);
        double[] g = Naive.values(dy);
        double[] dx = new double[x.length];
        for (int i = 0; i < x.length; i++) {
            if (x[i] <= c.threshold()) {
                dx[i] = g[i] * c.negativeSlope();
            } else if (x[i] < c.maxValue()) {
                dx[i] = g[i];
            }
        }
        return new INDArray[] {Naive.array(dx, inputs[0].shape(), inputs[0])};
    }
}
