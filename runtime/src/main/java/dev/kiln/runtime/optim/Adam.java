package dev.kiln.runtime.optim;

/**
 * Keras's {@code Adam} (Kingma and Ba, 2014): adaptive estimates of the gradient's first and second moments; the rule
 * and its options are in {@link AdamBase}. Defaults as Keras: {@code Adam(learning_rate=0.001, beta_1=0.9,
 * beta_2=0.999, epsilon=1e-07, amsgrad=False)}, no weight decay.
 */
public final class Adam extends AdamBase<Adam> {

    /** {@code Adam(learning_rate=0.001)}. */
    public Adam() {
        this(0.001);
    }

    public Adam(double learningRate) {
        super(learningRate);
    }

    public Adam(LearningRateSchedule learningRate) {
        super(learningRate);
    }
}
