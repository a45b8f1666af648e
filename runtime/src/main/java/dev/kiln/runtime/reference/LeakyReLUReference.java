package dev.kiln.runtime.reference;

import com.google.auto.service.AutoService;
import dev.kiln.runtime.layer.LeakyReLUConfig;
import org.nd4j.linalg.api.ndarray.INDArray;

/** Keras's {@code LeakyReLU}: {@code max(x, 0) + negativeSlope * min(x, 0)}. */
@AutoService(LayerReference.class)
public final class LeakyReLUReference implements LayerReference<LeakyReLUConfig> {
    @Override
    public Class<LeakyReLUConfig> configType() {
        return LeakyReLUConfig.class;
    }

    @Override
    public INDArray forward(LeakyReLUConfig c, INDArray[] inputs, LayerWeights w) {
        double[] x = Naive.values(inputs[0]);
        double[] y = new double[x.length];
        for (int i = 0; i < x.length; i++) {
            y[i] = Math.max(x[i], 0) + c.negativeSlope() * Math.min(x[i], 0);
        }
        return Naive.array(y, inputs[0].shape(), inputs[0]);
    }

    @Override
    public INDArray[] backward(LeakyReLUConfig c, INDArray[] inputs, INDArray output, INDArray dy, LayerWeights w) {
        double[] x = Naive.values(inputs[0]);
        double[] g = Naive.values(dy);
        double[] dx = new double[x.length];
        for (int i = 0; i < x.length; i++) {
            dx[i] = x[i] < 0 ? c.negativeSlope() * g[i] : g[i];
        }
        return new INDArray[] {Naive.array(dx, inputs[0].shape(), inputs[0])};
    }
}
