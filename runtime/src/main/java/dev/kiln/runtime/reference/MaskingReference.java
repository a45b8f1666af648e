package dev.kiln.runtime.reference;

import com.google.auto.service.AutoService;
import dev.kiln.runtime.layer.MaskingConfig;
import org.nd4j.linalg.api.ndarray.INDArray;

/** Keras's {@code Masking}: a step is kept when any feature differs from the mask value; kept steps pass unchanged. */
@AutoService(LayerReference.class)
public final class MaskingReference implements LayerReference<MaskingConfig> {
    @Override
    public Class<MaskingConfig> configType() {
        return MaskingConfig.class;
    }

    @Override
    public INDArray mask(MaskingConfig c, INDArray[] inputs) {
        INDArray x = inputs[0];
        double[] v = Naive.values(x);
        int batch = (int) x.size(0);
        int steps = (int) x.size(1);
        int features = (int) x.size(2);
        double[] keep = new double[batch * steps];
        for (int s = 0; s < batch * steps; s++) {
            for (int j = 0; j < features; j++) {
                if (v[s * features + j] != c.maskValue()) {
                    keep[s] = 1;
                }
            }
        }
        return Naive.array(keep, new long[] {batch, steps}, x);
    }

    @Override
    public INDArray forward(MaskingConfig c, INDArray[] inputs, LayerWeights w) {
        return masked(Naive.values(inputs[0]), Naive.values(mask(c, inputs)), inputs[0]);
    }

    @Override
    public INDArray[] backward(MaskingConfig c, INDArray[] inputs, INDArray output, INDArray dy, LayerWeights w) {
        return new INDArray[] {masked(Naive.values(dy), Naive.values(mask(c, inputs)), inputs[0])};
    }

    /** {@code v} with every value of a step the mask marks 0 set to 0. */
    private static INDArray masked(double[] v, double[] keep, INDArray like) {
        int features = v.length / keep.length;
        double[] out = new double[v.length];
        for (int i = 0; i < v.length; i++) {
            out[i] = keep[i / features] * v[i];
        }
        return Naive.array(out, like.shape(), like);
    }
}
