package dev.kiln.runtime.optim;

import java.nio.DoubleBuffer;
import java.nio.FloatBuffer;

/**
 * Keras's {@code SGD}: gradient descent, with momentum and Nesterov momentum.
 * <pre>
 *   momentum == 0:   w = w - lr * g
 *   momentum  > 0:   velocity = momentum * velocity - lr * g
 *                    w = w + velocity                          (nesterov: w = w + momentum * velocity - lr * g)
 * </pre>
 * Defaults as Keras: {@code learning_rate=0.01, momentum=0.0, nesterov=False}. The slot {@code momentum} (the velocity)
 * exists only when momentum is not 0.
 */
public final class SGD extends KerasOptimizer<SGD> {
    private double momentum;
    private boolean nesterov;
    private FlatArray velocity;

    /** {@code SGD(learning_rate=0.01)}. */
    public SGD() {
        this(0.01);
    }

    public SGD(double learningRate) {
        super(learningRate);
    }

    public SGD(LearningRateSchedule learningRate) {
        super(learningRate);
    }

    /** Momentum in [0, 1], Keras's default 0 (plain gradient descent). */
    public SGD momentum(double momentum) {
        checkConfigurable("momentum");
        this.momentum = Args.closedFraction(name(), "momentum", momentum);
        return this;
    }

    /** Nesterov momentum (Keras's default false); has an effect only with momentum > 0. */
    public SGD nesterov(boolean nesterov) {
        checkConfigurable("nesterov");
        this.nesterov = nesterov;
        return this;
    }

    @Override
    void createSlots() {
        if (momentum != 0) {
            velocity = slot("momentum", 0);
        }
    }

    @Override
    void describe(ConfigText config) {
        config.add("momentum", momentum).add("nesterov", nesterov);
    }

    @Override
    void updateFloat(FloatBuffer w, FloatBuffer g, double learningRate, double keepFraction) {
        float lr = (float) learningRate;
        float keep = (float) keepFraction;
        if (velocity == null) {
            for (int i = 0, n = w.limit(); i < n; i++) {
                w.put(i, w.get(i) * keep - g.get(i) * lr);
            }
            return;
        }
        FloatBuffer v = velocity.floats;
        float mu = (float) momentum;
        boolean lookAhead = nesterov;
        for (int i = 0, n = w.limit(); i < n; i++) {
            float step = g.get(i) * lr;
            float vi = v.get(i) * mu - step;
            v.put(i, vi);
            w.put(i, w.get(i) * keep + (lookAhead ? vi * mu - step : vi));
        }
    }

    @Override
    void updateDouble(DoubleBuffer w, DoubleBuffer g, double lr, double keep) {
        if (velocity == null) {
            for (int i = 0, n = w.limit(); i < n; i++) {
                w.put(i, w.get(i) * keep - g.get(i) * lr);
            }
            return;
        }
        DoubleBuffer v = velocity.doubles;
        double mu = momentum;
        boolean lookAhead = nesterov;
        for (int i = 0, n = w.limit(); i < n; i++) {
            double step = g.get(i) * lr;
            double vi = v.get(i) * mu - step;
            v.put(i, vi);
            w.put(i, w.get(i) * keep + (lookAhead ? vi * mu - step : vi));
        }
    }
}
