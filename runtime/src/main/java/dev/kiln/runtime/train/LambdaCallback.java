package dev.kiln.runtime.train;

import java.util.Map;
import java.util.Objects;
import java.util.function.Consumer;
import java.util.function.IntConsumer;

/**
 * A callback made of lambdas, as Keras's {@code LambdaCallback}:
 * <pre>{@code new LambdaCallback().atEpochEnd((epoch, logs) -> System.out.println(logs.get("loss")))}</pre>
 */
public final class LambdaCallback implements Callback {

    /** A hook that receives an index (epoch or batch, from 0) and the logs. */
    @FunctionalInterface
    public interface Hook {
        /** Called with the epoch or batch index and the logs. */
        void accept(int index, Map<String, Double> logs);
    }

    private Runnable trainBegin = () -> { };
    private Consumer<Map<String, Double>> trainEnd = logs -> { };
    private IntConsumer epochBegin = epoch -> { };
    private Hook epochEnd = (epoch, logs) -> { };
    private IntConsumer batchBegin = batch -> { };
    private Hook batchEnd = (batch, logs) -> { };

    /** Runs {@code hook} at {@code onTrainBegin}. */
    public LambdaCallback atTrainBegin(Runnable hook) {
        trainBegin = Objects.requireNonNull(hook);
        return this;
    }

    /** Runs {@code hook} at {@code onTrainEnd}. */
    public LambdaCallback atTrainEnd(Consumer<Map<String, Double>> hook) {
        trainEnd = Objects.requireNonNull(hook);
        return this;
    }

    /** Runs {@code hook} at {@code onEpochBegin}. */
    public LambdaCallback atEpochBegin(IntConsumer hook) {
        epochBegin = Objects.requireNonNull(hook);
        return this;
    }

    /** Runs {@code hook} at {@code onEpochEnd}. */
    public LambdaCallback atEpochEnd(Hook hook) {
        epochEnd = Objects.requireNonNull(hook);
        return this;
    }

    /** Runs {@code hook} at {@code onBatchBegin}. */
    public LambdaCallback atBatchBegin(IntConsumer hook) {
        batchBegin = Objects.requireNonNull(hook);
        return this;
    }

    /** Runs {@code hook} at {@code onBatchEnd}. */
    public LambdaCallback atBatchEnd(Hook hook) {
        batchEnd = Objects.requireNonNull(hook);
        return this;
    }

    @Override
    public void onTrainBegin() {
        trainBegin.run();
    }

    @Override
    public void onTrainEnd(Map<String, Double> logs) {
        trainEnd.accept(logs);
    }

    @Override
    public void onEpochBegin(int epoch) {
        epochBegin.accept(epoch);
    }

    @Override
    public void onEpochEnd(int epoch, Map<String, Double> logs) {
        epochEnd.accept(epoch, logs);
    }

    @Override
    public void onBatchBegin(int batch) {
        batchBegin.accept(batch);
    }

    @Override
    public void onBatchEnd(int batch, Map<String, Double> logs) {
        batchEnd.accept(batch, logs);
    }
}
