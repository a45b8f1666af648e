package dev.kiln.runtime.reference;

import com.google.auto.service.AutoService;
import dev.kiln.runtime.layer.DotConfig;
import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * {@code Dot} of two vectors per sample, {@code y = a . b}, or with {@code normalize} the cosine
 * {@code a . b / (|a| |b|)} (Keras's l2_normalize divides by {@code sqrt(max(|v|^2, 1e-12))}).
 */
@AutoService(LayerReference.class)
public final class DotReference implements LayerReference<DotConfig> {
    private static final double EPSILON = 1e-12;

    @Override
    public Class<DotConfig> configType() {
        return DotConfig.class;
    }

    @Override
    public INDArray forward(DotConfig c, INDArray[] inputs, LayerWeights w) {
        double[] a = Naive.values(inputs[0]);
        double[] b = Naive.values(inputs[1]);
        int batch = (int) inputs[0].size(0);
        int d = a.length / batch;
        double[] y = new double[batch];
        for (int s = 0; s < batch; s++) {
            double dot = 0;
            double na = 0;
            double nb = 0;
            for (int j = 0; j < d; j++) {
                dot += a[s * d + j] * b[s * d + j];
                na += a[s * d + j] * a[s * d + j];
                nb += b[s * d + j] * b[s * d + j];
            }
            y[s] = c.normalize() ? dot / (norm(na) * norm(nb)) : dot;
        }
        return Naive.array(y, new long[] {batch, 1}, inputs[0]);
    }

    @Override
    public INDArray[] backward(DotConfig c, INDArray[] inputs, INDArray output, INDArray dy, LayerWeights w) {
        double[] a = Naive.values(inputs[0]);
        double[] b = Naive.values(inputs[1]);
        double[] g = Naive.values(dy);
        int batch = (int) inputs[0].size(0);
        int d = a.length / batch;
        double[] da = new double[a.length];
        double[] db = new double[b.length];
        for (int s = 0; s < batch; s++) {
            double dot = 0;
            double na = 0;
            double nb = 0;
            for (int j = 0; j < d; j++) {
                dot += a[s * d + j] * b[s * d + j];
                na += a[s * d + j] * a[s * d + j];
                nb += b[s * d + j] * b[s * d + j];
            }
            for (int j = 0; j < d; j++) {
                int i = s * d + j;
                if (!c.normalize()) {
                    da[i] = g[s] * b[i];
                    db[i] = g[s] * a[i];
                    continue;
                }
                // y = dot / (|a| |b|); a norm clamped at sqrt(epsilon) has no gradient through it
                double ra = norm(na);
                double rb = norm(nb);
                double y = dot / (ra * rb);
                da[i] = g[s] * (b[i] / (ra * rb) - (na > EPSILON ? y * a[i] / na : 0));
                db[i] = g[s] * (a[i] / (ra * rb) - (nb > EPSILON ? y * b[i] / nb : 0));
            }
        }
        return new INDArray[] {Naive.array(da, inputs[0].shape(), inputs[0]),
                Naive.array(db, inputs[1].shape(), inputs[1])};
    }

    private static double norm(double squared) {
        return Math.sqrt(Math.max(squared, EPSILON));
    }
}
