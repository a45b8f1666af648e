package dev.kiln.benchmarks;

import java.util.Map;

/**
 * One system's model on one workload, as {@link Protocol} drives it. Training goes through the system's own training
 * loop (its batching included); prediction through its own single-batch inference call, on arrays made beforehand.
 */
public interface Contender {
    /** Trains exactly one epoch: every training sample once, shuffled, the last batch smaller. */
    void trainEpoch();

    /** Trains {@code steps} batches of a freshly shuffled epoch through the system's training loop. */
    void train(int steps);

    /** Accuracy on the test set, in inference mode. */
    double testAccuracy();

    /** The number of full test batches {@link #predictBatch} takes. */
    int testBatches();

    /** Predicts full test batch {@code i} (its arrays made beforehand). */
    void predictBatch(int i);

    /** Predicts one test sample, {@code i} modulo the number of single-sample arrays made beforehand. */
    void predictOne(int i);

    /**
     * Optional: the parts of a training step on one fixed training batch, by name, for {@link Protocol} to time:
     * {@code forward} (inference mode), {@code fwd+loss+bwd}, {@code trainStep} (that plus the optimizer). None by
     * default.
     */
    default Map<String, Runnable> phases() {
        return Map.of();
    }
}
