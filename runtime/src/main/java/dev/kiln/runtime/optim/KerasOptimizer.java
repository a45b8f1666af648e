package dev.kiln.runtime.optim;

/**
 * The arguments every Keras optimizer takes, as fluent setters that return the concrete optimizer, so that they chain
 * with its own: {@code new Adam(1e-3).clipnorm(1.0).amsgrad(true)}. All are unset ({@code None}) by default and must be
 * set before {@code compile}.
 *
 * @param <T> the concrete optimizer
 */
public abstract class KerasOptimizer<T extends KerasOptimizer<T>> extends Optimizer {

    KerasOptimizer(double learningRate) {
        super(learningRate);
    }

    KerasOptimizer(LearningRateSchedule schedule) {
        super(schedule);
    }

    /** Keras's {@code clipnorm}: each variable's gradient is rescaled so its L2 norm is at most {@code clipnorm}. */
    public final T clipnorm(double clipnorm) {
        setClipnorm(clipnorm);
        return self();
    }

    /** Keras's {@code clipvalue}: each gradient element is clamped to {@code [-clipvalue, clipvalue]}. */
    public final T clipvalue(double clipvalue) {
        setClipvalue(clipvalue);
        return self();
    }

    /** Keras's {@code global_clipnorm}: all gradients are rescaled so their joint L2 norm is at most this. */
    public final T globalClipnorm(double globalClipnorm) {
        setGlobalClipnorm(globalClipnorm);
        return self();
    }

    /**
     * Keras's {@code weight_decay}: before each update, {@code w -= w * weightDecay * lr} (decoupled weight decay,
     * every trainable variable).
     */
    public final T weightDecay(double weightDecay) {
        setWeightDecay(weightDecay);
        return self();
    }

    @SuppressWarnings("unchecked")
    final T self() {
        return (T) this;
    }
}
