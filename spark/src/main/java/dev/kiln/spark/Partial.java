package dev.kiln.spark;

import java.io.Serializable;

/**
 * What one partition's task returns for a round, and what sums of such returns are: the number of samples, a vector
 * summed with each partition's weight (gradient times samples, or the weights' change from the broadcast ones times
 * samples), optimizer slots likewise, and the sums of the training values (loss times samples, ...). {@link TreeSum}
 * adds them in a fixed order.
 */
final class Partial implements Serializable {
    private static final long serialVersionUID = 1L;

    /** The partition that returned it (a leaf of the tree sum). */
    int partition;
    long samples;
    /** Null for a partition that had no sample this round (an exact zero). */
    double[] vector;
    /**
     * Synchronous gradients on a model with non-trainable weights (moving statistics): how far the partition's
     * training-mode forward pass moved them from the broadcast values, times its samples; null otherwise.
     */
    double[] moving;
    /** Optimizer slots, in {@link Payload#slotNames} order; null as {@link #vector}. */
    double[][] slots;
    /** Loss, metrics and per-output losses, each times the samples, in {@code DrivenFit.trainingLogNames()} order. */
    double[] logs;
    /** The most local steps one partition took (parameter averaging), and the longest task's compute time. */
    long steps;
    long computeNanos;

    /** {@code this + other}, into this; {@code this} covers the partitions before {@code other}'s. */
    Partial plus(Partial other) {
        samples += other.samples;
        vector = add(vector, other.vector);
        moving = add(moving, other.moving);
        if (other.slots != null) {
            if (slots == null) {
                slots = new double[other.slots.length][];
            }
            for (int i = 0; i < slots.length; i++) {
                slots[i] = add(slots[i], other.slots[i]);
            }
        }
        logs = add(logs, other.logs);
        steps = Math.max(steps, other.steps);
        computeNanos = Math.max(computeNanos, other.computeNanos);
        return this;
    }

    private static double[] add(double[] a, double[] b) {
        if (b == null) {
            return a;
        }
        if (a == null) {
            return b.clone();
        }
        for (int i = 0; i < a.length; i++) {
            a[i] += b[i];
        }
        return a;
    }

    /** Bytes of payload this partial carries (8 a value), for the cost lines. */
    long bytes() {
        long n = (vector == null ? 0 : vector.length) + (logs == null ? 0 : logs.length)
                + (moving == null ? 0 : moving.length);
        if (slots != null) {
            for (double[] s : slots) {
                n += s == null ? 0 : s.length;
            }
        }
        return 8 * n + 24;
    }
}
