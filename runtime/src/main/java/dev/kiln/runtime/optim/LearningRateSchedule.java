package dev.kiln.runtime.optim;

/**
 * A learning rate that changes with training, Keras's {@code keras.optimizers.schedules.LearningRateSchedule}: give
 * one to an optimizer's constructor ({@code new Adam(new ExponentialDecay(1e-3, 1000, 0.96))}, or a lambda such as
 * {@code step -> step < 1000 ? 1e-3 : 1e-4}) and each step uses {@code at(iterations)}, where {@code iterations} is
 * the number of steps applied before it (0 for the first step), as in Keras.
 */
@FunctionalInterface
public interface LearningRateSchedule {

    /** The learning rate of the step that follows {@code iteration} applied steps. */
    double at(long iteration);

    /**
     * How the optimizer's {@link Optimizer#config()} shows this schedule; Keras-like for the built-in schedules, the
     * class name for a named class, {@code custom_schedule} for a lambda or anonymous class (so it stays the same from
     * one run to the next).
     */
    default String config() {
        Class<?> type = getClass();
        return type.isHidden() || type.isAnonymousClass() ? "custom_schedule" : type.getSimpleName();
    }
}
