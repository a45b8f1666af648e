package dev.kiln.runtime.metric;

import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * Keras's {@code mean_squared_error} metric: the mean of {@code (yPred - yTrue)^2}. (Named with a suffix because the
 * loss of the same name is a class of its own.)
 */
public final class MeanSquaredErrorMetric extends ErrorMetric {

    /** Named {@code mean_squared_error}. */
    public MeanSquaredErrorMetric() {
        this("mean_squared_error");
    }

    /** @param name the name in logs */
    public MeanSquaredErrorMetric(String name) {
        super(name);
    }

    @Override
    double sum(INDArray yPred, INDArray yTrue) {
        return yPred.squaredDistance(yTrue);
    }
}
