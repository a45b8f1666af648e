package dev.kiln.runtime.metric;

import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * Keras's {@code sparse_categorical_accuracy}: how often the arg-max of the prediction equals the class id in the
 * target. Targets are class ids of shape {@code (batch)} or {@code (batch, 1)} (for sequence outputs
 * {@code (batch, steps)} or {@code (batch, steps, 1)}), float or integer. One ND4J arg-max op per batch.
 */
public final class SparseCategoricalAccuracy extends RunningMetric {

    /** Named {@code sparse_categorical_accuracy}. */
    public SparseCategoricalAccuracy() {
        this("sparse_categorical_accuracy");
    }

    /** @param name the name in logs, e.g. {@code accuracy} when Keras's "accuracy" resolved to this metric */
    public SparseCategoricalAccuracy(String name) {
        super(name);
    }

    @Override
    public boolean higherIsBetter() {
        return true;
    }

    @Override
    public void update(INDArray yPred, INDArray yTrue) {
        checkClassIds(name(), yPred, yTrue);
        long[] predicted = Host.argmaxLastAxis(yPred);
        float[] ids = Host.floats(yTrue);
        int hits = 0;
        for (int i = 0; i < predicted.length; i++) {
            if (ids[i] == (float) predicted[i]) {   // Keras compares in the targets' type
                hits++;
            }
        }
        accumulate(hits, predicted.length);
    }

    /** Fails unless {@code yTrue} holds one class id per row of {@code yPred}. */
    static void checkClassIds(String metric, INDArray yPred, INDArray yTrue) {
        if (yTrue.length() != Host.rows(yPred)) {
            throw new IllegalArgumentException(metric + " needs one class id per sample, targets of shape (batch) or"
                    + " (batch, 1), but the targets are " + Host.shape(yTrue) + " for predictions "
                    + Host.shape(yPred) + "; for one-hot targets use CATEGORICAL_ACCURACY (or the loss"
                    + " CATEGORICAL_CROSSENTROPY with ACCURACY)");
        }
    }
}
