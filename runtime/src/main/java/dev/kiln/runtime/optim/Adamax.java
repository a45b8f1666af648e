package dev.kiln.runtime.optim;

import java.nio.DoubleBuffer;
import java.nio.FloatBuffer;

/**
 * Keras's {@code Adamax}: Adam with the infinity norm in place of the second moment. With {@code t = iterations + 1}:
 * <pre>
 *   momentum = momentum + (g - momentum) * (1 - beta_1)
 *   norm     = max(beta_2 * norm, |g|)
 *   w        = w - lr * momentum / ((1 - beta_1^t) * (norm + epsilon))
 * </pre>
 * Defaults as Keras: {@code learning_rate=0.001, beta_1=0.9, beta_2=0.999, epsilon=1e-07}. Slots: {@code momentum},
 * {@code norm}.
 */
public final class Adamax extends KerasOptimizer<Adamax> {
    private double beta1 = 0.9;
    private double beta2 = 0.999;
    private double epsilon = 1e-7;
    private FlatArray momentum;
    private FlatArray norm;

    /** {@code Adamax(learning_rate=0.001)}. */
    public Adamax() {
        this(0.001);
    }

    public Adamax(double learningRate) {
        super(learningRate);
    }

    public Adamax(LearningRateSchedule learningRate) {
        super(learningRate);
    }

    /** Decay rate of the first-moment estimate, in [0, 1); Keras's default 0.9. */
    public Adamax beta1(double beta1) {
        checkConfigurable("beta1");
        this.beta1 = Args.fraction(name(), "beta1", beta1);
        return this;
    }

    /** Decay rate of the infinity norm, in [0, 1); Keras's default 0.999. */
    public Adamax beta2(double beta2) {
        checkConfigurable("beta2");
        this.beta2 = Args.fraction(name(), "beta2", beta2);
        return this;
    }

    /** Added to the norm, >= 0; Keras's default 1e-7. */
    public Adamax epsilon(double epsilon) {
        checkConfigurable("epsilon");
        this.epsilon = Args.nonNegative(name(), "epsilon", epsilon);
        return this;
    }

    @Override
    void createSlots() {
        momentum = slot("momentum", 0);
        norm = slot("norm", 0);
    }

    @Override
    void describe(ConfigText config) {
        config.add("beta_1", beta1).add("beta_2", beta2).add("epsilon", epsilon);
    }

    @Override
    void updateFloat(FloatBuffer w, FloatBuffer g, double learningRate, double keepFraction) {
        float lr = (float) learningRate;
        float keep = (float) keepFraction;
        float correction = (float) (1 - Math.pow(beta1, iterations() + 1));
        float c1 = (float) (1 - beta1);
        float b2 = (float) beta2;
        float eps = (float) epsilon;
        FloatBuffer m = momentum.floats;
        FloatBuffer u = norm.floats;
        for (int i = 0, n = w.limit(); i < n; i++) {
            float gi = g.get(i);
            float mi = m.get(i);
            mi += (gi - mi) * c1;
            float ui = Math.max(b2 * u.get(i), Math.abs(gi));
            m.put(i, mi);
            u.put(i, ui);
            w.put(i, w.get(i) * keep - lr * mi / (correction * (ui + eps)));
        }
    }

    @Override
    void updateDouble(DoubleBuffer w, DoubleBuffer g, double lr, double keep) {
        double correction = 1 - Math.pow(beta1, iterations() + 1);
        double c1 = 1 - beta1;
        double b2 = beta2;
        double eps = epsilon;
        DoubleBuffer m = momentum.doubles;
        DoubleBuffer u = norm.doubles;
        for (int i = 0, n = w.limit(); i < n; i++) {
            double gi = g.get(i);
            double mi = m.get(i);
            mi += (gi - mi) * c1;
            double ui = Math.max(b2 * u.get(i), Math.abs(gi));
            m.put(i, mi);
            u.put(i, ui);
            w.put(i, w.get(i) * keep - lr * mi / (correction * (ui + eps)));
        }
    }
}
