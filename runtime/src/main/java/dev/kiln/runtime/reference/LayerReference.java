package dev.kiln.runtime.reference;

import dev.kiln.runtime.layer.LayerConfig;
import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * One layer computed the obvious way, for the {@link ReferenceInterpreter}: naive loops over plain arrays (or plain
 * ND4J ops such as {@code mmul}), never the production kernels, so that a bug in a kernel cannot hide behind the same
 * bug in its oracle. Each implementation is registered with {@code @AutoService(LayerReference.class)}.
 *
 * @param <C> the layer's config
 */
public interface LayerReference<C extends LayerConfig> {
    /** The config this reference computes. */
    Class<C> configType();

    /** The layer's output for one batch; {@code inputs} in the node's input order. */
    INDArray forward(C config, INDArray[] inputs, LayerWeights weights);

    /**
     * The vector-Jacobian product: given {@code dy = dLoss/dOutput}, adds {@code dLoss/dWeight} for each weight into
     * {@code weights} and returns {@code dLoss/dInput} for every input (same order and shapes as {@code inputs}).
     */
    INDArray[] backward(C config, INDArray[] inputs, INDArray output, INDArray dy, LayerWeights weights);

    /** The mask the layer puts on its output, {@code (batch, steps)} with 1 for a step kept; null for none. */
    default INDArray mask(C config, INDArray[] inputs) {
        return null;
    }

    /** The output given the mask on the input ({@code (batch, steps)}, null for none); layers that read masks override. */
    default INDArray forward(C config, INDArray[] inputs, INDArray mask, LayerWeights weights) {
        return forward(config, inputs, weights);
    }

    /** The backward pass given the mask on the input, as {@link #forward(LayerConfig, INDArray[], INDArray, LayerWeights)}. */
    default INDArray[] backward(C config, INDArray[] inputs, INDArray mask, INDArray output, INDArray dy,
            LayerWeights weights) {
        return backward(config, inputs, output, dy, weights);
    }

    /**
     * Every value the layer gives: its output, then its parts in the order of {@link LayerConfig#partNames()} (an
     * LSTM's final states with {@code returnState}). A layer of one value gives its output alone; a layer with parts
     * overrides this.
     */
    default INDArray[] forwardValues(C config, INDArray[] inputs, INDArray mask, LayerWeights weights) {
        return new INDArray[] {forward(config, inputs, mask, weights)};
    }

    /**
     * The backward pass from the gradients of every value, ordered as {@link #forwardValues}'s, each null where no
     * gradient reaches that value (zeros).
     */
    default INDArray[] backwardValues(C config, INDArray[] inputs, INDArray mask, INDArray[] values, INDArray[] dValues,
            LayerWeights weights) {
        INDArray dy = dValues[0] != null ? dValues[0] : values[0].ulike().assign(0);
        return backward(config, inputs, mask, values[0], dy, weights);
    }
}
