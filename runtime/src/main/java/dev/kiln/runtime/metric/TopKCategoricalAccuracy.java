package dev.kiln.runtime.metric;

import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * Keras's {@code top_k_categorical_accuracy}: how often the one-hot target's class is among the {@code k} (default
 * 5) highest predictions. One ND4J arg-max op on the targets per batch; the ranking runs in Java.
 */
public final class TopKCategoricalAccuracy extends RunningMetric {

    /** Keras's default k. */
    public static final int DEFAULT_K = 5;

    private final int k;

    /** Named {@code top_k_categorical_accuracy}, k = 5. */
    public TopKCategoricalAccuracy() {
        this("top_k_categorical_accuracy", DEFAULT_K);
    }

    /**
     * @param name the name in logs
     * @param k how many of the highest predictions may hold the target
     */
    public TopKCategoricalAccuracy(String name, int k) {
        super(name);
        TopK.checkK(k);
        this.k = k;
    }

    /** How many of the highest predictions may hold the target. */
    public int k() {
        return k;
    }

    @Override
    public boolean higherIsBetter() {
        return true;
    }

    @Override
    public void update(INDArray yPred, INDArray yTrue) {
        if (!yPred.equalShapes(yTrue)) {
            throw new IllegalArgumentException(name() + " needs one-hot targets shaped like the predictions "
                    + Host.shape(yPred) + ", but they are " + Host.shape(yTrue)
                    + "; for class-id targets use SPARSE_TOP_K_CATEGORICAL_ACCURACY");
        }
        long[] targets = Host.argmaxLastAxis(yTrue);
        int hits = TopK.hits(Host.floats(yPred), targets, (int) Host.lastDim(yPred), k);
        accumulate(hits, targets.length);
    }
}
