package dev.kiln.runtime.optim;

import java.nio.DoubleBuffer;
import java.nio.FloatBuffer;

/**
 * Keras's {@code Adagrad}: per-parameter learning rates scaled by the accumulated squared gradients.
 * <pre>
 *   accumulator = accumulator + g^2
 *   w = w - lr * g / sqrt(accumulator + epsilon)
 * </pre>
 * Defaults as Keras: {@code learning_rate=0.001, initial_accumulator_value=0.1, epsilon=1e-07}. Slot:
 * {@code accumulator}, starting at {@code initial_accumulator_value}.
 */
public final class Adagrad extends KerasOptimizer<Adagrad> {
    private double initialAccumulatorValue = 0.1;
    private double epsilon = 1e-7;
    private FlatArray accumulator;

    /** {@code Adagrad(learning_rate=0.001)}. */
    public Adagrad() {
        this(0.001);
    }

    public Adagrad(double learningRate) {
        super(learningRate);
    }

    public Adagrad(LearningRateSchedule learningRate) {
        super(learningRate);
    }

    /** Starting value of the accumulator, >= 0; Keras's default 0.1. */
    public Adagrad initialAccumulatorValue(double initialAccumulatorValue) {
        checkConfigurable("initialAccumulatorValue");
        this.initialAccumulatorValue = Args.nonNegative(name(), "initialAccumulatorValue", initialAccumulatorValue);
        return this;
    }

    /** Added under the square root, >= 0; Keras's default 1e-7. */
    public Adagrad epsilon(double epsilon) {
        checkConfigurable("epsilon");
        this.epsilon = Args.nonNegative(name(), "epsilon", epsilon);
        return this;
    }

    @Override
    void createSlots() {
        accumulator = slot("accumulator", initialAccumulatorValue);
    }

    @Override
    void describe(ConfigText config) {
        config.add("initial_accumulator_value", initialAccumulatorValue).add("epsilon", epsilon);
    }

    @Override
    void updateFloat(FloatBuffer w, FloatBuffer g, double learningRate, double keepFraction) {
        float lr = (float) learningRate;
        float keep = (float) keepFraction;
        float eps = (float) epsilon;
        FloatBuffer acc = accumulator.floats;
        for (int i = 0, n = w.limit(); i < n; i++) {
            float gi = g.get(i);
            float ai = acc.get(i) + gi * gi;
            acc.put(i, ai);
            w.put(i, w.get(i) * keep - lr * gi / (float) Math.sqrt(ai + eps));
        }
    }

    @Override
    void updateDouble(DoubleBuffer w, DoubleBuffer g, double lr, double keep) {
        double eps = epsilon;
        DoubleBuffer acc = accumulator.doubles;
        for (int i = 0, n = w.limit(); i < n; i++) {
            double gi = g.get(i);
            double ai = acc.get(i) + gi * gi;
            acc.put(i, ai);
            w.put(i, w.get(i) * keep - lr * gi / Math.sqrt(ai + eps));
        }
    }
}
