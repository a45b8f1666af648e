package dev.kiln.spark;

import dev.kiln.runtime.KilnModel;
import dev.kiln.runtime.ModelSpec.VariableSpec;
import org.nd4j.linalg.api.ndarray.INDArray;

/** The driver's one call per synchronous round: the model's optimizer applied to the round's mean gradient. */
final class DriverStep {

    private DriverStep() {
    }

    /**
     * Applies {@code model}'s optimizer to {@code gradients} (flat, in {@code parameterBuffer()} order) exactly as a
     * training step would: {@code KilnModel.applyGradients}, which steps the trainable weights and keeps frozen ones.
     */
    static void apply(KilnModel model, INDArray gradients) {
        model.applyGradients(gradients);
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
