package dev.kiln.runtime.train;

import java.util.Map;

/**
 * Hooks into {@link Trainer#fit}, as Keras's {@code keras.callbacks.Callback}. Every method does nothing by default.
 *
 * <p>{@code logs} are the running values by Keras name ({@code loss}, {@code accuracy}, {@code <output>_loss},
 * ...; at epoch end also {@code val_...}), unmodifiable, in display order. Epoch and batch indexes count from 0.
 * A callback reaches the model, and can stop training, through the {@link TrainingContext} given to
 * {@link #setContext} before {@link #onTrainBegin}. A callback object may be reused across fits: it resets its
 * state in {@code onTrainBegin}.
 */
public interface Callback {

    /** Called first, with the model and the run's parameters (Keras's {@code set_model} and {@code set_params}). */
    default void setContext(TrainingContext context) {
    }

    /** Before the first epoch. */
    default void onTrainBegin() {
    }

    /** After the last epoch (not when training ended with an exception), with the last epoch's logs. */
    default void onTrainEnd(Map<String, Double> logs) {
    }

    /** Before epoch {@code epoch}'s first batch. */
    default void onEpochBegin(int epoch) {
    }

    /** After epoch {@code epoch}'s validation, with its training and {@code val_} values. */
    default void onEpochEnd(int epoch, Map<String, Double> logs) {
    }

    /** Before the training step on batch {@code batch}. */
    default void onBatchBegin(int batch) {
    }

    /** After the training step on batch {@code batch}, with the epoch's running values so far. */
    default void onBatchEnd(int batch, Map<String, Double> logs) {
    }
}
