package dev.kiln.runtime.train;

import java.util.Locale;
import java.util.Map;

/** Number formats of Keras's progress bar, shared by the progress display, History and Evaluation. */
final class KerasFormat {

    private KerasFormat() {
    }

    /** A logged value as Keras prints it: 4 decimals, or scientific notation at or below 1e-3 in magnitude. */
    static String value(double v) {
        return Math.abs(v) > 1e-3 || Double.isNaN(v) || Double.isInfinite(v)
                ? String.format(Locale.ROOT, "%.4f", v)
                : String.format(Locale.ROOT, "%.4e", v);
    }

    /** {@code " - loss: 0.4512 - accuracy: 0.8311"} */
    static String logs(Map<String, Double> logs) {
        StringBuilder s = new StringBuilder();
        logs.forEach((name, v) -> s.append(" - ").append(name).append(": ").append(value(v)));
        return s.toString();
    }

    /** A duration per unit as Keras's {@code _format_time}: {@code 2s/epoch}, {@code 4ms/step}, {@code 87us/step}. */
    static String perUnit(double seconds, String unit) {
        if (seconds >= 1 || seconds == 0) {
            return String.format(Locale.ROOT, "%.0fs/%s", seconds, unit);
        }
        if (seconds >= 1e-3) {
            return String.format(Locale.ROOT, "%.0fms/%s", seconds * 1e3, unit);
        }
        return String.format(Locale.ROOT, "%.0fus/%s", seconds * 1e6, unit);
    }

    /** Whole seconds, {@code 2s}. */
    static String seconds(double seconds) {
        return String.format(Locale.ROOT, "%.0fs", seconds);
    }

    /** Keras's ETA: {@code 3s}, {@code 1:05}, {@code 1:02:05}. */
    static String eta(double seconds) {
        long s = (long) seconds;
        if (seconds > 3600) {
            return String.format(Locale.ROOT, "%d:%02d:%02d", s / 3600, (s % 3600) / 60, s % 60);
        }
        if (seconds > 60) {
            return String.format(Locale.ROOT, "%d:%02d", s / 60, s % 60);
        }
        return s + "s";
    }

    /** {@code 12,345 samples/s} */
    static String throughput(double samplesPerSecond) {
        return String.format(Locale.ROOT, "%,d samples/s", Math.round(samplesPerSecond));
    }
}
