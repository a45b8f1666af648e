package dev.kiln.benchmarks;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;

/** Wall-clock timing and the statistics the report uses. */
final class Timing {
    private Timing() {
    }

    /** Seconds {@code body} takes. */
    static double seconds(Runnable body) {
        long start = System.nanoTime();
        body.run();
        return (System.nanoTime() - start) / 1e9;
    }

    /** Milliseconds per call of {@code body}, over {@code calls} calls after {@code calls / 5 + 1} untimed ones. */
    static double msPerCall(int calls, Runnable body) {
        for (int i = 0; i < calls / 5 + 1; i++) {
            body.run();
        }
        return seconds(() -> {
            for (int i = 0; i < calls; i++) {
                body.run();
            }
        }) * 1e3 / calls;
    }

    static double median(List<Double> values) {
        return quantile(values, 0.5);
    }

    /** Linear-interpolated quantile, {@code q} in [0, 1]. */
    static double quantile(List<Double> values, double q) {
        if (values.isEmpty()) {
            return Double.NaN;
        }
        List<Double> sorted = new ArrayList<>(values);
        Collections.sort(sorted);
        double pos = q * (sorted.size() - 1);
        int lo = (int) Math.floor(pos);
        int hi = (int) Math.ceil(pos);
        return sorted.get(lo) + (sorted.get(hi) - sorted.get(lo)) * (pos - lo);
    }

    static double min(List<Double> values) {
        return values.stream().mapToDouble(Double::doubleValue).min().orElse(Double.NaN);
    }

    static double max(List<Double> values) {
        return values.stream().mapToDouble(Double::doubleValue).max().orElse(Double.NaN);
    }
}
