package dev.kiln.runtime.train;

import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

/**
 * What {@code fit} returns: each epoch's values by Keras name, as Keras's {@code History.history} ({@code loss},
 * {@code accuracy}, {@code val_loss}, {@code val_accuracy}; with several outputs {@code <output>_loss} and
 * {@code <output>_<metric>}), plus each epoch's wall time and training throughput. Read-only to its users.
 */
public final class History {

    private final List<Integer> epochs = new ArrayList<>();
    private final Map<String, List<Double>> values = new LinkedHashMap<>();
    private final List<Double> seconds = new ArrayList<>();
    private final List<Double> samplesPerSecond = new ArrayList<>();

    /** An empty history, for a custom training loop to record its epochs in ({@link #append(Map, double, double)}). */
    public History() {
    }

    /**
     * Records the next epoch of a custom training loop: its metrics by name, its seconds and samples per second; the
     * charts ({@link #toSvg()}) and reports read it as they read {@code fit}'s.
     */
    public void append(Map<String, Double> logs, double epochSeconds, double samplesPerSecond) {
        append(epochs.isEmpty() ? 0 : epochs.get(epochs.size() - 1) + 1, logs, epochSeconds, samplesPerSecond);
    }

    /** Records one finished epoch; a name missing in earlier epochs reads NaN there. */
    void append(int epoch, Map<String, Double> logs, double epochSeconds, double throughput) {
        int before = epochs.size();
        epochs.add(epoch);
        logs.forEach((name, v) -> {
            List<Double> column = values.computeIfAbsent(name, k -> new ArrayList<>());
            while (column.size() < before) {
                column.add(Double.NaN);
            }
            column.add(v);
        });
        values.values().forEach(column -> {
            if (column.size() == before) {
                column.add(Double.NaN);
            }
        });
        seconds.add(epochSeconds);
        samplesPerSecond.add(throughput);
    }

    /** The indexes of the epochs run, from 0 (Keras's {@code history.epoch}); {@code initialEpoch} first. */
    public List<Integer> epochs() {
        return Collections.unmodifiableList(epochs);
    }

    /** The logged names, in display order. */
    public Set<String> keys() {
        return Collections.unmodifiableSet(values.keySet());
    }

    /** Whether {@code name} was logged. */
    public boolean has(String name) {
        return values.containsKey(name);
    }

    /**
     * One value per epoch.
     *
     * @throws IllegalArgumentException when {@code name} was not logged, listing what was
     */
    public List<Double> get(String name) {
        List<Double> column = values.get(name);
        if (column == null) {
            String hint = name.startsWith("val_")
                    ? "; val_ values need Fit.validationSplit(...) or Fit.validationData(...)" : "";
            throw new IllegalArgumentException("History has no '" + name + "'; it has " + values.keySet() + hint);
        }
        return Collections.unmodifiableList(column);
    }

    /** The last epoch's value of {@code name}; fails as {@link #get} does, or when no epoch ran. */
    public double last(String name) {
        List<Double> column = get(name);
        if (column.isEmpty()) {
            throw new IllegalStateException("no epoch ran, so there is no last '" + name + "'");
        }
        return column.get(column.size() - 1);
    }

    /** All values by name, in display order (Keras's {@code history.history}). */
    public Map<String, List<Double>> asMap() {
        Map<String, List<Double>> copy = new LinkedHashMap<>();
        values.forEach((k, v) -> copy.put(k, List.copyOf(v)));
        return Collections.unmodifiableMap(copy);
    }

    /** Each epoch's wall time in seconds, validation included. */
    public List<Double> epochSeconds() {
        return Collections.unmodifiableList(seconds);
    }

    /** Each epoch's training throughput: training samples per second spent in training steps. */
    public List<Double> samplesPerSecond() {
        return Collections.unmodifiableList(samplesPerSecond);
    }

    /**
     * The metrics as SVG line charts, one per metric (training and validation in one chart, per output when there are
     * several), with axes, ticks, a legend and the best epoch marked; one SVG document, two charts to a row.
     */
    public String toSvg() {
        return HistoryChart.render(this);
    }

    /** A table, one row per epoch (numbered from 1, as displayed), one column per name, then seconds and samples/s. */
    @Override
    public String toString() {
        List<String> header = new ArrayList<>(List.of("epoch"));
        header.addAll(values.keySet());
        header.add("seconds");
        header.add("samples/s");
        List<List<String>> rows = new ArrayList<>();
        for (int i = 0; i < epochs.size(); i++) {
            List<String> row = new ArrayList<>();
            row.add(Integer.toString(epochs.get(i) + 1));
            for (List<Double> column : values.values()) {
                row.add(KerasFormat.value(column.get(i)));
            }
            row.add(String.format(Locale.ROOT, "%.1f", seconds.get(i)));
            row.add(String.format(Locale.ROOT, "%,d", Math.round(samplesPerSecond.get(i))));
            rows.add(row);
        }
        return HistoryTable.render(header, rows);
    }
}
