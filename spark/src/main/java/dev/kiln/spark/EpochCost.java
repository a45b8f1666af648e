package dev.kiln.spark;

import java.util.Locale;

/**
 * What one epoch of Spark training cost: its rounds, the bytes the driver broadcast (weights, and optimizer state when
 * averaging; counted once, as one executor fetches them; a cluster of E executors moves E times this) and the bytes the
 * partitions' results carried into the aggregation, and its time split into compute (the slowest task of each round,
 * summed), the driver's update (the optimizer step, or the averaging, after each round's sum) and the rest of the
 * rounds' wall time (communication: broadcast, scheduling, serialization, the tree sum).
 */
public record EpochCost(int epoch, int rounds, int partitions, long bytesBroadcast, long bytesAggregated,
                        double computeSeconds, double driverSeconds, double roundSeconds) {

    /** Wall time of the rounds spent neither computing in the slowest task nor updating on the driver. */
    public double communicationSeconds() {
        return Math.max(0, roundSeconds - computeSeconds - driverSeconds);
    }

    /**
     * {@code spark: epoch 3: 45 rounds on 2 partitions, broadcast 0.9 MB, aggregated 1.8 MB, compute 0.41 s, driver
     * 0.02 s, communication 1.20 s (74% of 1.63 s)}.
     */
    @Override
    public String toString() {
        return String.format(Locale.ROOT, "spark: epoch %d: %d rounds on %d partitions, broadcast %s, aggregated %s,"
                + " compute %.2f s, driver %.2f s, communication %.2f s (%.0f%% of %.2f s)", epoch + 1, rounds,
                partitions, mb(bytesBroadcast), mb(bytesAggregated), computeSeconds, driverSeconds,
                communicationSeconds(), roundSeconds > 0 ? 100 * communicationSeconds() / roundSeconds : 0,
                roundSeconds);
    }

    private static String mb(long bytes) {
        return bytes >= 1e6 ? String.format(Locale.ROOT, "%.1f MB", bytes / 1e6)
                : String.format(Locale.ROOT, "%.1f kB", bytes / 1e3);
    }
}
