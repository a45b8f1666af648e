package dev.kiln.runtime.reference;

import com.google.auto.service.AutoService;
import dev.kiln.runtime.layer.EmbeddingConfig;
import org.nd4j.linalg.api.ndarray.INDArray;

/** Keras's {@code Embedding} as a one-hot product: {@code y = onehot(ids) @ table}, and {@code dTable = onehot^T @ dy}. */
@AutoService(LayerReference.class)
public final class EmbeddingReference implements LayerReference<EmbeddingConfig> {
    @Override
    public Class<EmbeddingConfig> configType() {
        return EmbeddingConfig.class;
    }

    @Override
    public INDArray forward(EmbeddingConfig c, INDArray[] inputs, LayerWeights w) {
        double[] ids = Naive.values(inputs[0]);
        double[] table = Naive.values(w.get("embeddings"));
        int width = c.outputDim();
        double[] y = new double[ids.length * width];
        for (int i = 0; i < ids.length; i++) {
            for (int row = 0; row < c.inputDim(); row++) {
                double hot = row == ids[i] ? 1 : 0;
                for (int j = 0; j < width; j++) {
                    y[i * width + j] += hot * table[row * width + j];
                }
            }
        }
        return Naive.array(y, shape(inputs[0], width), w.get("embeddings"));
    }

    @Override
    public INDArray[] backward(EmbeddingConfig c, INDArray[] inputs, INDArray output, INDArray dy, LayerWeights w) {
        double[] ids = Naive.values(inputs[0]);
        double[] g = Naive.values(dy);
        int width = c.outputDim();
        double[] dTable = new double[c.inputDim() * width];
        for (int row = 0; row < c.inputDim(); row++) {
            for (int i = 0; i < ids.length; i++) {
                double hot = row == ids[i] ? 1 : 0;
                for (int j = 0; j < width; j++) {
                    dTable[row * width + j] += hot * g[i * width + j];
                }
            }
        }
        w.addGradient("embeddings", Naive.array(dTable, new long[] {c.inputDim(), width}, dy));
        return new INDArray[] {inputs[0].like()}; // ids have no gradient
    }

    /** Keras's {@code mask_zero}: ids that are not 0 are kept. */
    @Override
    public INDArray mask(EmbeddingConfig c, INDArray[] inputs) {
        if (!c.maskZero()) {
            return null;
        }
        double[] ids = Naive.values(inputs[0]);
        double[] keep = new double[ids.length];
        for (int i = 0; i < ids.length; i++) {
            keep[i] = ids[i] == 0 ? 0 : 1;
        }
        return Naive.array(keep, inputs[0].shape(), inputs[0].castTo(org.nd4j.linalg.api.buffer.DataType.DOUBLE));
    }

    private static long[] shape(INDArray ids, int width) {
        long[] s = java.util.Arrays.copyOf(ids.shape(), ids.rank() + 1);
        s[ids.rank()] = width;
        return s;
    }
}
