package dev.kiln.spark;

import java.io.Serializable;

/**
 * What the driver broadcasts each round: the weights (and, for parameter averaging, the optimizer's slots and step
 * count), and where in training the round is. Broadcast once per round, read by every task of the round.
 */
final class Payload implements Serializable {
    private static final long serialVersionUID = 1L;

    final int epoch;
    /** The round within the epoch, from 0. */
    final int round;
    /** The round counted from the start of training: with the partition, the seed of a task's dropout masks. */
    final long globalRound;
    final Flat weights;
    /** Parameter averaging only: the optimizer's slots by name, and its step count. */
    final String[] slotNames;
    final Flat[] slots;
    final long iterations;
    /** Parameter averaging only: the variables frozen on the driver ({@code KilnModel.frozenVariables()}). */
    final java.util.Set<String> frozen;

    Payload(int epoch, int round, long globalRound, Flat weights, String[] slotNames, Flat[] slots, long iterations,
            java.util.Set<String> frozen) {
        this.epoch = epoch;
        this.round = round;
        this.globalRound = globalRound;
        this.weights = weights;
        this.slotNames = slotNames;
        this.slots = slots;
        this.iterations = iterations;
        this.frozen = frozen;
    }

    /** Bytes of payload (the values; Java serialization adds a few hundred). */
    long bytes() {
        long b = weights.bytes();
        if (slots != null) {
            for (Flat s : slots) {
                b += s.bytes();
            }
        }
        return b;
    }
}
