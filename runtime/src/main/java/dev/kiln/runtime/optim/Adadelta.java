package dev.kiln.runtime.optim;

import java.nio.DoubleBuffer;
import java.nio.FloatBuffer;

/**
 * Keras's {@code Adadelta} (Zeiler, 2012): steps scaled by moving averages of squared gradients and squared updates.
 * <pre>
 *   accumulated_grad      = rho * accumulated_grad + (1 - rho) * g^2
 *   delta                 = -sqrt(accumulated_delta_var + epsilon) * g / sqrt(accumulated_grad + epsilon)
 *   accumulated_delta_var = rho * accumulated_delta_var + (1 - rho) * delta^2
 *   w = w + lr * delta
 * </pre>
 * Defaults as Keras: {@code learning_rate=0.001, rho=0.95, epsilon=1e-07}. Slots: {@code accumulated_grad},
 * {@code accumulated_delta_var}.
 */
public final class Adadelta extends KerasOptimizer<Adadelta> {
    private double rho = 0.95;
    private double epsilon = 1e-7;
    private FlatArray accumulatedGrad;
    private FlatArray accumulatedDelta;

    /** {@code Adadelta(learning_rate=0.001)}. */
    public Adadelta() {
        this(0.001);
    }

    public Adadelta(double learningRate) {
        super(learningRate);
    }

    public Adadelta(LearningRateSchedule learningRate) {
        super(learningRate);
    }

    /** Decay rate of both moving averages, in [0, 1); Keras's default 0.95. */
    public Adadelta rho(double rho) {
        checkConfigurable("rho");
        this.rho = Args.fraction(name(), "rho", rho);
        return this;
    }

    /** Added under both square roots, >= 0; Keras's default 1e-7. */
    public Adadelta epsilon(double epsilon) {
        checkConfigurable("epsilon");
        this.epsilon = Args.nonNegative(name(), "epsilon", epsilon);
        return this;
    }

    @Override
    void createSlots() {
        accumulatedGrad = slot("accumulated_grad", 0);
        accumulatedDelta = slot("accumulated_delta_var", 0);
    }

    @Override
    void describe(ConfigText config) {
        config.add("rho", rho).add("epsilon", epsilon);
    }

    @Override
    void updateFloat(FloatBuffer w, FloatBuffer g, double learningRate, double keepFraction) {
        float lr = (float) learningRate;
        float keep = (float) keepFraction;
        float decay = (float) rho;
        float fresh = (float) (1 - rho);
        float eps = (float) epsilon;
        FloatBuffer ag = accumulatedGrad.floats;
        FloatBuffer ad = accumulatedDelta.floats;
        for (int i = 0, n = w.limit(); i < n; i++) {
            float gi = g.get(i);
            float agi = decay * ag.get(i) + fresh * (gi * gi);
            ag.put(i, agi);
            float adi = ad.get(i);
            float delta = -((float) Math.sqrt(adi + eps) * gi / (float) Math.sqrt(agi + eps));
            ad.put(i, decay * adi + fresh * (delta * delta));
            w.put(i, w.get(i) * keep + lr * delta);
        }
    }

    @Override
    void updateDouble(DoubleBuffer w, DoubleBuffer g, double lr, double keep) {
        double decay = rho;
        double fresh = 1 - rho;
        double eps = epsilon;
        DoubleBuffer ag = accumulatedGrad.doubles;
        DoubleBuffer ad = accumulatedDelta.doubles;
        for (int i = 0, n = w.limit(); i < n; i++) {
            double gi = g.get(i);
            double agi = decay * ag.get(i) + fresh * (gi * gi);
            ag.put(i, agi);
            double adi = ad.get(i);
            double delta = -(Math.sqrt(adi + eps) * gi / Math.sqrt(agi + eps));
            ad.put(i, decay * adi + fresh * (delta * delta));
            w.put(i, w.get(i) * keep + lr * delta);
        }
    }
}
