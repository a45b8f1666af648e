package dev.kiln.runtime.optim;

/**
 * Keras's {@code AdamW} (Loshchilov and Hutter, 2019): {@link Adam} with decoupled weight decay on by default,
 * {@code w -= w * weight_decay * lr} before each Adam update. Defaults as Keras: {@code AdamW(learning_rate=0.001,
 * weight_decay=0.004, beta_1=0.9, beta_2=0.999, epsilon=1e-07, amsgrad=False)}.
 */
public final class AdamW extends AdamBase<AdamW> {

    /** {@code AdamW(learning_rate=0.001, weight_decay=0.004)}. */
    public AdamW() {
        this(0.001);
    }

    public AdamW(double learningRate) {
        super(learningRate);
        weightDecay(0.004);
    }

    public AdamW(LearningRateSchedule learningRate) {
        super(learningRate);
        weightDecay(0.004);
    }
}
