package dev.kiln.runtime.metric;

import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * Keras's {@code mean_absolute_error} metric: the mean of {@code |yPred - yTrue|}. (Named with a suffix because the
 * loss of the same name is a class of its own.)
 */
public final class MeanAbsoluteErrorMetric extends ErrorMetric {

    /** Named {@code mean_absolute_error}. */
    public MeanAbsoluteErrorMetric() {
        this("mean_absolute_error");
    }

    /** @param name the name in logs */
    public MeanAbsoluteErrorMetric(String name) {
        super(name);
    }

    @Override
    double sum(INDArray yPred, INDArray yTrue) {
        return yPred.distance1(yTrue);
    }
}
