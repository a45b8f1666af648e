package dev.kiln.runtime.reference;

import com.google.auto.service.AutoService;
import dev.kiln.dsl.Activation;
import dev.kiln.runtime.layer.ActivationConfig;
import org.nd4j.linalg.api.ndarray.INDArray;

/** Keras's {@code Activation} layer: the function element by element (softmax over the last axis). */
@AutoService(LayerReference.class)
public final class ActivationReference implements LayerReference<ActivationConfig> {
    @Override
    public Class<ActivationConfig> configType() {
        return ActivationConfig.class;
    }

    @Override
    public INDArray forward(ActivationConfig c, INDArray[] inputs, LayerWeights w) {
        INDArray x = inputs[0];
        return Naive.array(apply(c.activation(), Naive.values(x), (int) x.size(-1)), x.shape(), x);
    }

    @Override
    public INDArray[] backward(ActivationConfig c, INDArray[] inputs, INDArray output, INDArray dy, LayerWeights w) {
        INDArray x = inputs[0];
        double[] dx = backward(c.activation(), Naive.values(x), Naive.values(dy), (int) x.size(-1));
        return new INDArray[] {Naive.array(dx, x.shape(), x)};
    }

    /** {@code f(z)}, with rows of {@code width} for softmax. */
    static double[] apply(Activation f, double[] z, int width) {
        if (f == Activation.SOFTMAX) {
            return ActivationFunctions.softmax(z, width);
        }
        double[] y = new double[z.length];
        for (int i = 0; i < z.length; i++) {
            y[i] = ActivationFunctions.apply(f, z[i]);
        }
        return y;
    }

    /** {@code dLoss/dz} from {@code dy}, through the full softmax Jacobian for softmax. */
    static double[] backward(Activation f, double[] z, double[] dy, int width) {
        if (f == Activation.SOFTMAX) {
            return ActivationFunctions.softmaxBackward(ActivationFunctions.softmax(z, width), dy, width);
        }
        double[] dz = new double[z.length];
        for (int i = 0; i < z.length; i++) {
            dz[i] = dy[i] * ActivationFunctions.derivative(f, z[i]);
        }
        return dz;
    }
}
