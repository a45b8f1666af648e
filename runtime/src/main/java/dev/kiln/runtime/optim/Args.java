package dev.kiln.runtime.optim;

/** Argument checks shared by the optimizers; each message names the optimizer, the argument and the bad value. */
final class Args {
    private Args() {
    }

    /** {@code value > 0}, finite: learning rates, clipping thresholds, decay steps. */
    static double positive(String owner, String name, double value) {
        if (!(value > 0) || Double.isInfinite(value)) {
            throw new IllegalArgumentException(owner + ": " + name + " must be a positive number, got " + value);
        }
        return value;
    }

    /** {@code value > 0}: step counts. */
    static long positive(String owner, String name, long value) {
        if (value <= 0) {
            throw new IllegalArgumentException(owner + ": " + name + " must be a positive number, got " + value);
        }
        return value;
    }

    /** {@code value >= 0}, finite: epsilons, weight decay, initial accumulator values. */
    static double nonNegative(String owner, String name, double value) {
        if (!(value >= 0) || Double.isInfinite(value)) {
            throw new IllegalArgumentException(owner + ": " + name + " must be a number >= 0, got " + value);
        }
        return value;
    }

    /** {@code 0 <= value < 1}: decay rates such as beta1, beta2, rho. */
    static double fraction(String owner, String name, double value) {
        if (!(value >= 0 && value < 1)) {
            throw new IllegalArgumentException(owner + ": " + name + " must be in [0, 1), got " + value);
        }
        return value;
    }

    /** {@code 0 <= value <= 1}: SGD's momentum, which Keras lets reach 1. */
    static double closedFraction(String owner, String name, double value) {
        if (!(value >= 0 && value <= 1)) {
            throw new IllegalArgumentException(owner + ": " + name + " must be in [0, 1], got " + value);
        }
        return value;
    }
}
