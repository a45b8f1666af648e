package dev.kiln.runtime.metric;

import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * Keras's {@code binary_accuracy}: how often {@code yPred > threshold} (as 1 or 0) equals the target, averaged over
 * the last axis per sample, then over samples. As in Keras the comparison is exact, so soft labels (0.9) never match.
 */
public final class BinaryAccuracy extends RunningMetric {

    /** Keras's default threshold. */
    public static final double DEFAULT_THRESHOLD = 0.5;

    private final float threshold;

    /** Named {@code binary_accuracy}, threshold 0.5. */
    public BinaryAccuracy() {
        this("binary_accuracy", DEFAULT_THRESHOLD);
    }

    /**
     * @param name the name in logs, e.g. {@code accuracy} when Keras's "accuracy" resolved to this metric
     * @param threshold predictions above it count as 1
     */
    public BinaryAccuracy(String name, double threshold) {
        super(name);
        this.threshold = (float) threshold;
    }

    @Override
    public boolean higherIsBetter() {
        return true;
    }

    @Override
    public void update(INDArray yPred, INDArray yTrue) {
        if (yTrue.length() != yPred.length()) {
            throw new IllegalArgumentException(name() + " compares each prediction with a 0/1 target, so targets"
                    + " need the predictions' shape " + Host.shape(yPred) + ", but they are " + Host.shape(yTrue));
        }
        float[] p = Host.floats(yPred);
        float[] t = Host.floats(yTrue);
        int hits = 0;
        for (int i = 0; i < p.length; i++) {
            if ((p[i] > threshold ? 1f : 0f) == t[i]) {
                hits++;
            }
        }
        double perSample = Host.lastDim(yPred);
        accumulate(hits / perSample, p.length / perSample);
    }
}
