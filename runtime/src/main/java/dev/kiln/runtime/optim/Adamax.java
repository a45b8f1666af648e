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
public final class Adamax extends MomentsOptimizer<Adamax> {
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
