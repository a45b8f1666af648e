package dev.kiln.runtime.train;

import dev.kiln.runtime.optim.Optimizer;
import java.util.Map;

/**
 * Multiplies the learning rate by {@code factor} when the monitored value has not improved for {@code patience}
 * epochs, as Keras's {@code ReduceLROnPlateau}: defaults {@code monitor = "val_loss"}, {@code factor = 0.1},
 * {@code patience = 10}, mode AUTO, {@code minDelta = 1e-4}, {@code cooldown = 0}, {@code minLr = 0}. Works through
 * {@link Optimizer#learningRate()} and {@link Optimizer#setLearningRate}.
 */
public final class ReduceLROnPlateau extends MonitorCallback<ReduceLROnPlateau> {

    private double factor = 0.1;
    private int patience = 10;
    private int cooldown;
    private double minLr;

    private Double best;
    private int wait;
    private int cooldownCounter;

    /** Keras's defaults. */
    public ReduceLROnPlateau() {
        super("val_loss", 1e-4);
    }

    /** The learning rate is multiplied by it, in (0, 1). */
    public ReduceLROnPlateau factor(double factor) {
        if (!(factor > 0 && factor < 1)) {
            throw new IllegalArgumentException("factor must be in (0, 1) (the learning rate is multiplied by it),"
                    + " but is " + factor);
        }
        this.factor = factor;
        return this;
    }

    /** Epochs without improvement before the rate is reduced. */
    public ReduceLROnPlateau patience(int patience) {
        if (patience < 0) {
            throw new IllegalArgumentException("patience must be at least 0, but is " + patience);
        }
        this.patience = patience;
        return this;
    }

    /** Epochs to wait after a reduction before counting again. */
    public ReduceLROnPlateau cooldown(int cooldown) {
        if (cooldown < 0) {
            throw new IllegalArgumentException("cooldown must be at least 0, but is " + cooldown);
        }
        this.cooldown = cooldown;
        return this;
    }

    /** The rate is never reduced below it. */
    public ReduceLROnPlateau minLr(double minLr) {
        if (minLr < 0) {
            throw new IllegalArgumentException("minLr must be at least 0, but is " + minLr);
        }
        this.minLr = minLr;
        return this;
    }

    @Override
    public void onTrainBegin() {
        resolveMonitor();
        if (context().model().optimizer() == null) {
            throw new IllegalStateException("ReduceLROnPlateau needs the model's optimizer: compile the model first");
        }
        best = null;
        wait = 0;
        cooldownCounter = 0;
    }

    @Override
    public void onEpochEnd(int epoch, Map<String, Double> logs) {
        Double current = monitored(logs);
        if (current == null) {
            return;
        }
        if (cooldownCounter > 0) {
            cooldownCounter--;
            wait = 0;
        }
        if (isImprovement(current, best)) {
            best = current;
            wait = 0;
        } else if (cooldownCounter == 0) {
            wait++;
            if (wait >= patience && reduce(epoch)) {
                cooldownCounter = cooldown;
                wait = 0;
            }
        }
    }

    private boolean reduce(int epoch) {
        Optimizer optimizer = context().model().optimizer();
        double old = optimizer.learningRate();
        if (old <= (float) minLr) {   // Keras compares with float32(min_lr)
            return false;
        }
        double lr = Math.max(old * factor, minLr);
        optimizer.setLearningRate(lr);
        say("Epoch " + (epoch + 1) + ": ReduceLROnPlateau reducing learning rate to " + lr + ".");
        return true;
    }
}
