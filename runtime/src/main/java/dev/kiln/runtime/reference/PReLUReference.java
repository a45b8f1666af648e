package dev.kiln.runtime.reference;

import com.google.auto.service.AutoService;
import dev.kiln.runtime.layer.PReLUConfig;
import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * Keras's {@code PReLU} as Keras composes it, {@code relu(x) - alpha * relu(-x)}, with {@code alpha} found for each
 * element from its multi-index (0 on the shared axes).
 */
@AutoService(LayerReference.class)
public final class PReLUReference implements LayerReference<PReLUConfig> {
    @Override
    public Class<PReLUConfig> configType() {
        return PReLUConfig.class;
    }

    @Override
    public INDArray forward(PReLUConfig c, INDArray[] inputs, LayerWeights w) {
        INDArray x = inputs[0];
        double[] v = Naive.values(x);
        double[] alpha = Naive.values(w.get("alpha"));
        long[] alphaShape = w.get("alpha").shape();
        double[] y = new double[v.length];
        for (int i = 0; i < v.length; i++) {
            double a = alpha[alphaIndex(i, x.shape(), alphaShape)];
            y[i] = Math.max(v[i], 0) - a * Math.max(-v[i], 0);
        }
        return Naive.array(y, x.shape(), x);
    }

    @Override
    public INDArray[] backward(PReLUConfig c, INDArray[] inputs, INDArray output, INDArray dy, LayerWeights w) {
        INDArray x = inputs[0];
        double[] v = Naive.values(x);
        double[] g = Naive.values(dy);
        double[] alpha = Naive.values(w.get("alpha"));
        long[] alphaShape = w.get("alpha").shape();
        double[] dx = new double[v.length];
        double[] dAlpha = new double[alpha.length];
        for (int i = 0; i < v.length; i++) {
            int k = alphaIndex(i, x.shape(), alphaShape);
            dx[i] = v[i] > 0 ? g[i] : alpha[k] * g[i];
            dAlpha[k] += v[i] > 0 ? 0 : v[i] * g[i];
        }
        w.addGradient("alpha", Naive.array(dAlpha, alphaShape, x));
        return new INDArray[] {Naive.array(dx, x.shape(), x)};
    }

    private static int alphaIndex(int flat, long[] shape, long[] alphaShape) {
        long[] at = Naive.index(flat, shape);
        long[] strides = Naive.strides(alphaShape);
        long k = 0;
        for (int d = 0; d < alphaShape.length; d++) {
            k += (alphaShape[d] == 1 ? 0 : at[d + 1]) * strides[d];
        }
        return (int) k;
    }
}
