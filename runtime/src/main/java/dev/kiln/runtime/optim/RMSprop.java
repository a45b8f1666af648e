package dev.kiln.runtime.optim;

import java.nio.DoubleBuffer;
import java.nio.FloatBuffer;

/**
 * Keras's {@code RMSprop}: divide the gradient by a moving root mean square of recent gradients.
 * <pre>
 *   velocity = rho * velocity + (1 - rho) * g^2
 *   centered:  average_gradient = rho * average_gradient + (1 - rho) * g
 *              increment = lr * g / sqrt(velocity - average_gradient^2 + epsilon)
 *   otherwise: increment = lr * g / sqrt(velocity + epsilon)
 *   momentum > 0: momentum_slot = momentum * momentum_slot + increment;  w = w - momentum_slot
 *   otherwise:    w = w - increment
 * </pre>
 * Defaults as Keras: {@code learning_rate=0.001, rho=0.9, momentum=0.0, epsilon=1e-07, centered=False}. Slots:
 * {@code velocity}, plus {@code momentum} when momentum > 0 and {@code average_gradient} when centered.
 */
public final class RMSprop extends KerasOptimizer<RMSprop> {
    private double rho = 0.9;
    private double momentum;
    private double epsilon = 1e-7;
    private boolean centered;
    private FlatArray velocity;
    private FlatArray momentums;
    private FlatArray averageGradient;

    /** {@code RMSprop(learning_rate=0.001)}. */
    public RMSprop() {
        this(0.001);
    }

    public RMSprop(double learningRate) {
        super(learningRate);
    }

    public RMSprop(LearningRateSchedule learningRate) {
        super(learningRate);
    }

    /** Discounting factor of the moving averages, in [0, 1); Keras's default 0.9. */
    public RMSprop rho(double rho) {
        checkConfigurable("rho");
        this.rho = Args.fraction(name(), "rho", rho);
        return this;
    }

    /** Momentum in [0, 1); Keras's default 0 (no momentum slot). */
    public RMSprop momentum(double momentum) {
        checkConfigurable("momentum");
        this.momentum = Args.fraction(name(), "momentum", momentum);
        return this;
    }

    /** Added under the square root, >= 0; Keras's default 1e-7. */
    public RMSprop epsilon(double epsilon) {
        checkConfigurable("epsilon");
        this.epsilon = Args.nonNegative(name(), "epsilon", epsilon);
        return this;
    }

    /** Normalize by the estimated variance of the gradient instead of its second moment; Keras's default false. */
    public RMSprop centered(boolean centered) {
        checkConfigurable("centered");
        this.centered = centered;
        return this;
    }

    @Override
    void createSlots() {
        velocity = slot("velocity", 0);
        if (momentum > 0) {
            momentums = slot("momentum", 0);
        }
        if (centered) {
            averageGradient = slot("average_gradient", 0);
        }
    }

    @Override
    void describe(ConfigText config) {
        config.add("rho", rho).add("momentum", momentum).add("epsilon", epsilon).add("centered", centered);
    }

    @Override
    void updateFloat(FloatBuffer w, FloatBuffer g, double learningRate, double keepFraction) {
        float lr = (float) learningRate;
        float keep = (float) keepFraction;
        float decay = (float) rho;
        float fresh = (float) (1 - rho);
        float mu = (float) momentum;
        float eps = (float) epsilon;
        FloatBuffer v = velocity.floats;
        FloatBuffer m = momentums == null ? null : momentums.floats;
        FloatBuffer a = averageGradient == null ? null : averageGradient.floats;
        for (int i = 0, n = w.limit(); i < n; i++) {
            float gi = g.get(i);
            float vi = decay * v.get(i) + fresh * (gi * gi);
            v.put(i, vi);
            float denominator = vi + eps;
            if (a != null) {
                float ai = decay * a.get(i) + fresh * gi;
                a.put(i, ai);
                denominator = vi - ai * ai + eps;
            }
            float increment = lr * gi / (float) Math.sqrt(denominator);
            if (m != null) {
                increment += mu * m.get(i);
                m.put(i, increment);
            }
            w.put(i, w.get(i) * keep - increment);
        }
    }

    @Override
    void updateDouble(DoubleBuffer w, DoubleBuffer g, double lr, double keep) {
        double decay = rho;
        double fresh = 1 - rho;
        double mu = momentum;
        double eps = epsilon;
        DoubleBuffer v = velocity.doubles;
        DoubleBuffer m = momentums == null ? null : momentums.doubles;
        DoubleBuffer a = averageGradient == null ? null : averageGradient.doubles;
        for (int i = 0, n = w.limit(); i < n; i++) {
            double gi = g.get(i);
            double vi = decay * v.get(i) + fresh * (gi * gi);
            v.put(i, vi);
            double denominator = vi + eps;
            if (a != null) {
                double ai = decay * a.get(i) + fresh * gi;
                a.put(i, ai);
                denominator = vi - ai * ai + eps;
            }
            double increment = lr * gi / Math.sqrt(denominator);
            if (m != null) {
                increment += mu * m.get(i);
                m.put(i, increment);
            }
            w.put(i, w.get(i) * keep - increment);
        }
    }
}
