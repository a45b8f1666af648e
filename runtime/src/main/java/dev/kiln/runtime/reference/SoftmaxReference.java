package dev.kiln.runtime.reference;

import com.google.auto.service.AutoService;
import dev.kiln.runtime.layer.SoftmaxConfig;
import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * Keras's {@code Softmax} along any axis, element by element from multi-indices: each element divided by the sum over
 * the elements that share all its other coordinates; the backward pass through the full Jacobian
 * {@code dy_j/dx_i = y_j (delta_ij - y_i)}.
 */
@AutoService(LayerReference.class)
public final class SoftmaxReference implements LayerReference<SoftmaxConfig> {
    @Override
    public Class<SoftmaxConfig> configType() {
        return SoftmaxConfig.class;
    }

    @Override
    public INDArray forward(SoftmaxConfig c, INDArray[] inputs, LayerWeights w) {
        INDArray x = inputs[0];
        return Naive.array(softmax(c, x), x.shape(), x);
    }

    @Override
    public INDArray[] backward(SoftmaxConfig c, INDArray[] inputs, INDArray output, INDArray dy, LayerWeights w) {
        INDArray x = inputs[0];
        long[] shape = x.shape();
        int axis = c.axisOf(shape.length);
        long stride = Naive.strides(shape)[axis];
        double[] y = softmax(c, x);
        double[] g = Naive.values(dy);
        double[] dx = new double[y.length];
        for (int i = 0; i < y.length; i++) {
            long first = i - Naive.index(i, shape)[axis] * stride;
            for (long k = 0; k < shape[axis]; k++) {
                int j = (int) (first + k * stride);
                dx[i] += g[j] * y[j] * ((i == j ? 1 : 0) - y[i]);
            }
        }
        return new INDArray[] {Naive.array(dx, shape, x)};
    }

    private static double[] softmax(SoftmaxConfig c, INDArray x) {
        long[] shape = x.shape();
        int axis = c.axisOf(shape.length);
        long stride = Naive.strides(shape)[axis];
        double[] v = Naive.values(x);
        double[] y = new double[v.length];
        for (int i = 0; i < v.length; i++) {
            long first = i - Naive.index(i, shape)[axis] * stride;
            double sum = 0;
            for (long k = 0; k < shape[axis]; k++) {
                sum += Math.exp(v[(int) (first + k * stride)] - v[i]);
            }
            y[i] = 1 / sum;
        }
        return y;
    }
}
