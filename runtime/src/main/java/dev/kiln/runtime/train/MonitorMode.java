package dev.kiln.runtime.train;

/** Whether a monitored value should go down or up; Keras's {@code mode}. */
public enum MonitorMode {
    /** Decided from the name: down for losses and errors, up for accuracies. */
    AUTO,
    /** Smaller is better. */
    MIN,
    /** Larger is better. */
    MAX
}
