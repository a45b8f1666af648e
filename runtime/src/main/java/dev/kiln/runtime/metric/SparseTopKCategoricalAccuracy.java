package dev.kiln.runtime.metric;

import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * Keras's {@code sparse_top_k_categorical_accuracy}: how often the target class id is among the {@code k} (default
 * 5) highest predictions. Targets as for {@link SparseCategoricalAccuracy}; no ND4J op beyond copying the batch.
 */
public final class SparseTopKCategoricalAccuracy extends RunningMetric {

    private final int k;

    /** Named {@code sparse_top_k_categorical_accuracy}, k = 5. */
    public SparseTopKCategoricalAccuracy() {
        this("sparse_top_k_categorical_accuracy", TopKCategoricalAccuracy.DEFAULT_K);
    }

    /**
     * @param name the name in logs
     * @param k how many of the highest predictions may hold the target
     */
    public SparseTopKCategoricalAccuracy(String name, int k) {
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
        SparseCategoricalAccuracy.checkClassIds(name(), yPred, yTrue);
        float[] ids = Host.floats(yTrue);
        long[] targets = new long[ids.length];
        for (int i = 0; i < ids.length; i++) {
            targets[i] = ids[i] == Math.rint(ids[i]) ? (long) ids[i] : -1;   // a fractional id matches no class
        }
        int hits = TopK.hits(Host.floats(yPred), targets, (int) Host.lastDim(yPred), k);
        accumulate(hits, targets.length);
    }
}
