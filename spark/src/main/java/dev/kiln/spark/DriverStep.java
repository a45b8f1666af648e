package dev.kiln.spark;

import dev.kiln.runtime.KilnModel;
import dev.kiln.runtime.ModelSpec.VariableSpec;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.indexing.NDArrayIndex;

/** The driver's one call per synchronous round: the model's optimizer applied to the round's mean gradient. */
final class DriverStep {

    private DriverStep() {
    }

    /**
     * Applies {@code model}'s optimizer to {@code gradients} (flat, in {@code parameterBuffer()} order): to the
     * trainable weights, which come first in that buffer; the declared non-trainable ones (moving statistics) after
     * them are not the optimizer's.
     */
    static void apply(KilnModel model, INDArray gradients) {
        long trainable = trainableLength(model);
        model.optimizer().apply(model.parameterBuffer().get(NDArrayIndex.interval(0, trainable)),
                gradients.get(NDArrayIndex.interval(0, trainable)));
    }

    /** The length of the trainable prefix of {@code parameterBuffer()}: the variables declared trainable. */
    static long trainableLength(KilnModel model) {
        long n = 0;
        for (VariableSpec v : model.spec().variables()) {
            n += v.trainable() ? v.length() : 0;
        }
        return n;
    }
}
