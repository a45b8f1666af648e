package dev.kiln.runtime.optim;

/**
 * The hyper-parameters Keras's Adam family shares — {@code beta_1}, {@code beta_2}, {@code epsilon}, with Keras's
 * defaults 0.9, 0.999 and 1e-7 — for {@link AdamBase} (Adam, AdamW), {@link Adamax} and {@link Nadam}. Where each
 * enters the update is in the subclass's formula.
 *
 * @param <T> the concrete optimizer
 */
public abstract class MomentsOptimizer<T extends MomentsOptimizer<T>> extends KerasOptimizer<T> {
    double beta1 = 0.9;
    double beta2 = 0.999;
    double epsilon = 1e-7;

    MomentsOptimizer(double learningRate) {
        super(learningRate);
    }

    MomentsOptimizer(LearningRateSchedule learningRate) {
        super(learningRate);
    }

    /** Decay rate of the first-moment estimate, in [0, 1); Keras's default 0.9. */
    public final T beta1(double beta1) {
        checkConfigurable("beta1");
        this.beta1 = Args.fraction(name(), "beta1", beta1);
        return self();
    }

    /** Decay rate of the second-moment estimate (Adamax: of the infinity norm), in [0, 1); Keras's default 0.999. */
    public final T beta2(double beta2) {
        checkConfigurable("beta2");
        this.beta2 = Args.fraction(name(), "beta2", beta2);
        return self();
    }

    /** The small constant of the update's denominator, >= 0; Keras's default 1e-7. */
    public final T epsilon(double epsilon) {
        checkConfigurable("epsilon");
        this.epsilon = Args.nonNegative(name(), "epsilon", epsilon);
        return self();
    }
}
