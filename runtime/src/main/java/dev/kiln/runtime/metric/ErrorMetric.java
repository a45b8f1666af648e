package dev.kiln.runtime.metric;

import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * Base of the mean error metrics: per sample the mean over the last axis of an element-wise error, then the mean
 * over samples, as Keras's {@code mean_absolute_error} and {@code mean_squared_error}. One ND4J reduction per batch.
 */
abstract class ErrorMetric extends RunningMetric {

    ErrorMetric(String name) {
        super(name);
    }

    @Override
    public final boolean higherIsBetter() {
        return false;
    }

    @Override
    public final void update(INDArray yPred, INDArray yTrue) {
        if (yTrue.length() != yPred.length()) {
            throw new IllegalArgumentException(name() + " compares predictions " + Host.shape(yPred)
                    + " with targets of the same shape, but the targets are " + Host.shape(yTrue));
        }
        INDArray target = yTrue;
        if (!target.equalShapes(yPred)) {
            target = target.reshape(yPred.shape());   // Keras squeezes or expands (batch) against (batch, 1)
        }
        if (target.dataType() != yPred.dataType()) {
            target = target.castTo(yPred.dataType());
        }
        double perSample = Host.lastDim(yPred);
        accumulate(sum(yPred, target) / perSample, yPred.length() / perSample);
    }

    /** The sum over all elements of the element-wise error, in one ND4J op. */
    abstract double sum(INDArray yPred, INDArray yTrue);
}
