package dev.kiln.runtime.metric;

import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * Keras's {@code categorical_accuracy}: how often the arg-max of the prediction is the arg-max of a one-hot target
 * (targets shaped like the predictions). Two ND4J arg-max ops per batch; the comparison runs in Java.
 */
public final class CategoricalAccuracy extends RunningMetric {

    /** Named {@code categorical_accuracy}. */
    public CategoricalAccuracy() {
        this("categorical_accuracy");
    }

    /** @param name the name in logs, e.g. {@code accuracy} when Keras's "accuracy" resolved to this metric */
    public CategoricalAccuracy(String name) {
        super(name);
    }

    @Override
    public boolean higherIsBetter() {
        return true;
    }

    @Override
    public void update(INDArray yPred, INDArray yTrue) {
        if (!yPred.equalShapes(yTrue)) {
            throw new IllegalArgumentException(name() + " compares one-hot targets with predictions of the same shape,"
                    + " but the targets are " + Host.shape(yTrue) + " and the predictions " + Host.shape(yPred)
                    + "; for class-id targets use SPARSE_CATEGORICAL_ACCURACY (or the loss"
                    + " SPARSE_CATEGORICAL_CROSSENTROPY with ACCURACY)");
        }
        long[] predicted = Host.argmaxLastAxis(yPred);
        long[] actual = Host.argmaxLastAxis(yTrue);
        int hits = 0;
        for (int i = 0; i < predicted.length; i++) {
            if (predicted[i] == actual[i]) {
                hits++;
            }
        }
        accumulate(hits, predicted.length);
    }
}
