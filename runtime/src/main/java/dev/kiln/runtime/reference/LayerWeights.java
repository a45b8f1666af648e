package dev.kiln.runtime.reference;

import java.util.Map;
import org.nd4j.linalg.api.ndarray.INDArray;

/** One node's view of the model's weights and of the gradients being summed, by Keras suffix ({@code kernel}). */
public record LayerWeights(String owner, Map<String, INDArray> weights, Map<String, INDArray> gradients) {
    /** The weight {@code owner/suffix}. */
    public INDArray get(String suffix) {
        INDArray w = weights.get(owner + "/" + suffix);
        if (w == null) {
            throw new IllegalArgumentException("no weight '" + owner + "/" + suffix + "'");
        }
        return w;
    }

    /** Adds {@code g} to the gradient of {@code owner/suffix} (a shared layer's applications sum). */
    public void addGradient(String suffix, INDArray g) {
        gradients.merge(owner + "/" + suffix, g, INDArray::add);
    }
}
