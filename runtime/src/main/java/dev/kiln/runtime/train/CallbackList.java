package dev.kiln.runtime.train;

import java.util.List;
import java.util.Map;

/** Calls every callback's hook, in order (Keras's {@code CallbackList}). */
final class CallbackList {

    private final List<Callback> callbacks;

    CallbackList(List<Callback> callbacks, TrainingContext context) {
        this.callbacks = List.copyOf(callbacks);
        this.callbacks.forEach(c -> c.setContext(context));
    }

    void trainBegin() {
        callbacks.forEach(Callback::onTrainBegin);
    }

    void trainEnd(Map<String, Double> logs) {
        callbacks.forEach(c -> c.onTrainEnd(logs));
    }

    void epochBegin(int epoch) {
        callbacks.forEach(c -> c.onEpochBegin(epoch));
    }

    void epochEnd(int epoch, Map<String, Double> logs) {
        callbacks.forEach(c -> c.onEpochEnd(epoch, logs));
    }

    void batchBegin(int batch) {
        callbacks.forEach(c -> c.onBatchBegin(batch));
    }

    void batchEnd(int batch, Map<String, Double> logs) {
        callbacks.forEach(c -> c.onBatchEnd(batch, logs));
    }
}
