package dev.kiln.runtime.optim;

import java.nio.DoubleBuffer;
import java.nio.FloatBuffer;

/**
 * Keras's {@code Nadam} (Dozat, 2015): Adam with Nesterov momentum and Keras's momentum schedule. With
 * {@code t = iterations + 1} and {@code mu(s) = beta_1 * (1 - 0.5 * 0.96^s)}:
 * <pre>
 *   u_product = u_product * mu(t)                   (once per step; starts at 1)
 *   momentum  = momentum + (g - momentum) * (1 - beta_1)
 *   velocity  = velocity + (g^2 - velocity) * (1 - beta_2)
 *   m_hat     = mu(t + 1) * momentum / (1 - u_product * mu(t + 1)) + (1 - mu(t)) * g / (1 - u_product)
 *   v_hat     = velocity / (1 - beta_2^t)
 *   w         = w - m_hat * lr / (sqrt(v_hat) + epsilon)
 * </pre>
 * Defaults as Keras: {@code learning_rate=0.001, beta_1=0.9, beta_2=0.999, epsilon=1e-07}. Slots: {@code momentum},
 * {@code velocity}, and the one-element {@code u_product}, kept in the optimizer's dtype as Keras keeps it.
 */
public final class Nadam extends MomentsOptimizer<Nadam> {
    private FlatArray momentum;
    private FlatArray velocity;
    private FlatArray uProduct;

    /** {@code Nadam(learning_rate=0.001)}. */
    public Nadam() {
        this(0.001);
    }

    public Nadam(double learningRate) {
        super(learningRate);
    }

    public Nadam(LearningRateSchedule learningRate) {
        super(learningRate);
    }

    @Override
    void createSlots() {
        momentum = slot("momentum", 0);
        velocity = slot("velocity", 0);
        uProduct = scalarSlot("u_product", 1);
    }

    @Override
    void describe(ConfigText config) {
        config.add("beta_1", beta1).add("beta_2", beta2).add("epsilon", epsilon);
    }

    /** Keras's momentum schedule; {@code u_product} is read back from its slot so float32 rounds it as Keras does. */
    private double mu(double step) {
        return beta1 * (1 - 0.5 * Math.pow(0.96, step));
    }

    @Override
    void updateFloat(FloatBuffer w, FloatBuffer g, double learningRate, double keepFraction) {
        double t = iterations() + 1;
        FloatBuffer product = uProduct.floats;
        product.put(0, (float) (product.get(0) * mu(t)));
        double u = product.get(0);
        float cm = (float) (mu(t + 1) / (1 - u * mu(t + 1)));
        float cg = (float) ((1 - mu(t)) / (1 - u));
        float cv = (float) (1 / (1 - Math.pow(beta2, t)));
        float lr = (float) learningRate;
        float keep = (float) keepFraction;
        float c1 = (float) (1 - beta1);
        float c2 = (float) (1 - beta2);
        float eps = (float) epsilon;
        FloatBuffer m = momentum.floats;
        FloatBuffer v = velocity.floats;
        for (int i = 0, n = w.limit(); i < n; i++) {
            float gi = g.get(i);
            float mi = m.get(i);
            mi += (gi - mi) * c1;
            float vi = v.get(i);
            vi += (gi * gi - vi) * c2;
            m.put(i, mi);
            v.put(i, vi);
            float mHat = cm * mi + cg * gi;
            w.put(i, w.get(i) * keep - mHat * lr / ((float) Math.sqrt(vi * cv) + eps));
        }
    }

    @Override
    void updateDouble(DoubleBuffer w, DoubleBuffer g, double lr, double keep) {
        double t = iterations() + 1;
        DoubleBuffer product = uProduct.doubles;
        product.put(0, product.get(0) * mu(t));
        double u = product.get(0);
        double cm = mu(t + 1) / (1 - u * mu(t + 1));
        double cg = (1 - mu(t)) / (1 - u);
        double cv = 1 / (1 - Math.pow(beta2, t));
        double c1 = 1 - beta1;
        double c2 = 1 - beta2;
        double eps = epsilon;
        DoubleBuffer m = momentum.doubles;
        DoubleBuffer v = velocity.doubles;
        for (int i = 0, n = w.limit(); i < n; i++) {
            double gi = g.get(i);
            double mi = m.get(i);
            mi += (gi - mi) * c1;
            double vi = v.get(i);
            vi += (gi * gi - vi) * c2;
            m.put(i, mi);
            v.put(i, vi);
            double mHat = cm * mi + cg * gi;
            w.put(i, w.get(i) * keep - mHat * lr / (Math.sqrt(vi * cv) + eps));
        }
    }
}
