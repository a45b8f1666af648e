package dev.kiln.runtime.reference;

import com.google.auto.service.AutoService;
import dev.kiln.runtime.layer.RepeatVectorConfig;
import org.nd4j.linalg.api.ndarray.INDArray;

/** {@code RepeatVector}: {@code y[b, t, j] = x[b, j]}; backward sums over {@code t}. */
@AutoService(LayerReference.class)
public final class RepeatVectorReference implements LayerReference<RepeatVectorConfig> {
    @Override
    public Class<RepeatVectorConfig> configType() {
        return RepeatVectorConfig.class;
    }

    @Override
    public INDArray forward(RepeatVectorConfig c, INDArray[] inputs, LayerWeights w) {
        INDArray x = inputs[0];
        int batch = (int) x.size(0);
        int d = (int) x.size(1);
        double[] xs = Naive.values(x);
        double[] y = new double[batch * c.n() * d];
        for (int b = 0; b < batch; b++) {
            for (int t = 0; t < c.n(); t++) {
                for (int j = 0; j < d; j++) {
                    y[(b * c.n() + t) * d + j] = xs[b * d + j];
                }
            }
        }
        return Naive.array(y, new long[] {batch, c.n(), d}, x);
    }

    @Override
    public INDArray[] backward(RepeatVectorConfig c, INDArray[] inputs, INDArray output, INDArray dy, LayerWeights w) {
        INDArray x = inputs[0];
        int batch = (int) x.size(0);
        int d = (int) x.size(1);
        double[] g = Naive.values(dy);
        double[] dx = new double[batch * d];
        for (int b = 0; b < batch; b++) {
            for (int t = 0; t < c.n(); t++) {
                for (int j = 0; j < d; j++) {
                    dx[b * d + j] += g[(b * c.n() + t) * d + j];
                }
            }
        }
        return new INDArray[] {Naive.array(dx, x.shape(), x)};
    }
}
