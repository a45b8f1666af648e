package dev.kiln.runtime.train;

import java.util.Map;
import java.util.Objects;

/**
 * Base of the callbacks that watch one logged value and act when it stops improving ({@link EarlyStopping},
 * {@link ReduceLROnPlateau}, {@link ModelCheckpoint}), as Keras's {@code MonitorCallback}. Options are set
 * fluently before {@code fit}; each returns this callback.
 *
 * <p>Unlike Keras, which warns at every epoch and carries on, a monitored name that {@code fit} will not log (for
 * instance {@code val_loss} without validation data) is an error at the start of training.
 *
 * @param <T> the concrete callback, returned by the fluent setters
 */
public abstract class MonitorCallback<T extends MonitorCallback<T>> implements Callback {

    private String monitor;
    private MonitorMode mode = MonitorMode.AUTO;
    private double minDelta;
    private int verbose;
    private TrainingContext context;
    private boolean minimize = true;

    /** @param monitor the default monitored name, {@code val_loss} in Keras */
    protected MonitorCallback(String monitor, double minDelta) {
        this.monitor = monitor;
        this.minDelta = Math.abs(minDelta);
    }

    /** The logged name to watch, e.g. {@code val_loss}, {@code accuracy}, {@code main_output_loss}. */
    public T monitor(String monitor) {
        this.monitor = Objects.requireNonNull(monitor, "monitor");
        return self();
    }

    /** Whether the monitored value should go down or up; AUTO (the default) decides from the name. */
    public T mode(MonitorMode mode) {
        this.mode = Objects.requireNonNull(mode, "mode");
        return self();
    }

    /** A change smaller than this (in absolute value) is no improvement. */
    public T minDelta(double minDelta) {
        this.minDelta = Math.abs(minDelta);
        return self();
    }

    /** 1 prints a line when the callback acts (to the fit's output stream); 0, the default, is silent. */
    public T verbose(int verbose) {
        this.verbose = verbose;
        return self();
    }

    /** The watched name. */
    public String monitor() {
        return monitor;
    }

    @Override
    public void setContext(TrainingContext context) {
        this.context = context;
    }

    /** The running fit, set before {@code onTrainBegin}. */
    protected final TrainingContext context() {
        if (context == null) {
            throw new IllegalStateException(getClass().getSimpleName() + " is used outside fit: pass it to"
                    + " Fit.callbacks(...)");
        }
        return context;
    }

    /**
     * Checks that the monitored name will be logged and resolves {@link MonitorMode#AUTO} from it; called from
     * {@code onTrainBegin}.
     *
     * @throws IllegalArgumentException when fit will not log the name
     */
    protected final void resolveMonitor() {
        MonitorMode direction = context().direction(monitor);
        if (direction == null) {
            String hint = monitor.startsWith("val_")
                    ? "; give Fit a validationSplit(...) or validationData(...), or monitor '" + monitor.substring(4)
                    + "'"
                    : "";
            throw new IllegalArgumentException(getClass().getSimpleName() + " monitors '" + monitor
                    + "', but fit logs only " + context().logNames() + hint);
        }
        minimize = (mode == MonitorMode.AUTO ? direction : mode) == MonitorMode.MIN;
    }

    /** Whether {@code current} beats {@code reference} by more than minDelta; any value beats a null reference. */
    protected final boolean isImprovement(double current, Double reference) {
        if (reference == null) {
            return true;
        }
        return minimize ? current + minDelta < reference : current - minDelta > reference;
    }

    /** The monitored value in {@code logs}, or null. */
    protected final Double monitored(Map<String, Double> logs) {
        return logs.get(monitor);
    }

    /** Prints {@code message} on its own line when verbose. */
    protected final void say(String message) {
        if (verbose > 0) {
            context().out().println(message);
        }
    }

    @SuppressWarnings("unchecked")
    private T self() {
        return (T) this;
    }
}
