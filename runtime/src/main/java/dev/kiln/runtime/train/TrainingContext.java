package dev.kiln.runtime.train;

import java.io.PrintStream;
import java.util.List;
import java.util.Map;

/**
 * What a {@link Callback} sees of a running {@code fit}: the model, the run's parameters, the names the logs will
 * have, and the flag that stops training (Keras's {@code model.stop_training}).
 */
public final class TrainingContext {

    private final Trainable model;
    private final int epochs;
    private final int stepsPerEpoch;
    private final int verbose;
    private final PrintStream out;
    private final Map<String, MonitorMode> directions;
    private final List<String> logNames;
    private boolean stopRequested;

    TrainingContext(Trainable model, int epochs, int stepsPerEpoch, int verbose, PrintStream out,
                    Map<String, MonitorMode> directions) {
        this.model = model;
        this.epochs = epochs;
        this.stepsPerEpoch = stepsPerEpoch;
        this.verbose = verbose;
        this.out = out;
        this.logNames = List.copyOf(directions.keySet());   // the caller's map is ordered; the copy is not
        this.directions = Map.copyOf(directions);
    }

    /** The model being trained. */
    public Trainable model() {
        return model;
    }

    /** Epochs of the run (Keras's {@code params["epochs"]}). */
    public int epochs() {
        return epochs;
    }

    /** Batches per epoch (Keras's {@code params["steps"]}). */
    public int stepsPerEpoch() {
        return stepsPerEpoch;
    }

    /** The resolved verbosity, 0, 1 or 2; callbacks print their messages only when it is above 0. */
    public int verbose() {
        return verbose;
    }

    /** Where the run prints; callbacks print their messages here. */
    public PrintStream out() {
        return out;
    }

    /** Every name an epoch's logs will hold, in display order (with {@code val_} names when there is validation). */
    public List<String> logNames() {
        return logNames;
    }

    /**
     * Whether a logged value is better low ({@link MonitorMode#MIN}: losses and errors) or high
     * ({@link MonitorMode#MAX}: accuracies); null for a name the logs will not have.
     */
    public MonitorMode direction(String logName) {
        return directions.get(logName);
    }

    /** Asks the trainer to stop after the current batch (its epoch still ends normally), as Keras's stop_training. */
    public void stopTraining() {
        stopRequested = true;
    }

    /** Whether a callback asked to stop. */
    public boolean stopRequested() {
        return stopRequested;
    }
}
