package dev.kiln.spark;

import dev.kiln.runtime.KilnModel;
import org.nd4j.linalg.api.ndarray.INDArray;

/** The driver's one call per synchronous round: the model's optimizer applied to the round's mean gradient. */
final class DriverStep {

    private DriverStep() {
    }

    /** Applies {@code model}'s optimizer to {@code gradients}, flat in {@code parameterBuffer()} order. */
    static void apply(KilnModel model, INDArray gradients) {
        model.optimizer().apply(model.parameterBuffer(), gradients);
    }
}
