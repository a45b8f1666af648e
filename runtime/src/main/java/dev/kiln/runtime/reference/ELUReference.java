package dev.kiln.runtime.reference;

import com.google.auto.service.AutoService;
import dev.kiln.runtime.layer.ELUConfig;
import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * Keras's {@code ELU}: {@code x} for {@code x > 0}, {@code alpha * (exp(x) - 1)} otherwise; derivative
 * {@code alpha * exp(x)}.
 */
@AutoService(LayerReference.class)
public final class ELUReference implements LayerReference<ELUConfig> {
    @Override
    public Class<ELUConfig> configType() {
        return ELUConfig.class;
    }

    @Override
    public INDArray forward(ELUConfig c, INDArray[] inputs, LayerWeights w) {
        double[] x = Naive.values(inputs[0]);
        double[] y = new double[x.length];
        for (int i = 0; i < x.length; i++) {
            y[i] = x[i] > 0 ? x[i] : c.alpha() * (Math.exp(x[i]) - 1);
        }
        return Naive.array(y, inputs[0].shape(), inputs[0]);
    }

    @Override
    public INDArray[] backward(ELUConfig c, INDArray[] inputs, INDArray output, INDArray dy, LayerWeights w) {
        double[] x = Naive.values(inputs[0]);
        double[] g = Naive.values(dy);
        double[] dx = new double[x.length];
        for (int i = 0; i < x.length; i++) {
            dx[i] = g[i] * (x[i] > 0 ? 1 : c.alpha() * Math.exp(x[i]));
        }
        return new INDArray[] {Naive.array(dx, inputs[0].shape(), inputs[0])};
    }
}
