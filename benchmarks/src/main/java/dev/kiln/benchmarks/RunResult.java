package dev.kiln.benchmarks;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.stream.Collectors;

/**
 * One process's measurements, passed from a child to the harness as one line:
 * {@code RESULT system=kiln workload=fashion-mlp train_sps=1,2,3 ...} (numbers, lists comma-separated; no spaces).
 */
final class RunResult {
    static final String PREFIX = "RESULT ";

    private final Map<String, String> values = new LinkedHashMap<>();

    RunResult(String system, String workload) {
        values.put("system", system);
        values.put("workload", workload);
    }

    private RunResult() {
    }

    void put(String key, double value) {
        values.put(key, String.format(Locale.ROOT, "%.6g", value));
    }

    void put(String key, List<Double> list) {
        values.put(key, list.stream().map(v -> String.format(Locale.ROOT, "%.6g", v))
                .collect(Collectors.joining(",")));
    }

    String text(String key) {
        return values.get(key);
    }

    boolean has(String key) {
        return values.containsKey(key);
    }

    /** The values under {@code key}; empty when absent. */
    List<Double> numbers(String key) {
        String v = values.get(key);
        if (v == null || v.isEmpty()) {
            return List.of();
        }
        List<Double> out = new ArrayList<>();
        for (String part : v.split(",")) {
            out.add(Double.parseDouble(part));
        }
        return out;
    }

    /** The keys starting with {@code prefix}, in order. */
    List<String> keys(String prefix) {
        return values.keySet().stream().filter(k -> k.startsWith(prefix)).toList();
    }

    String line() {
        return PREFIX + values.entrySet().stream().map(e -> e.getKey() + "=" + e.getValue())
                .collect(Collectors.joining(" "));
    }

    static RunResult parse(String line) {
        RunResult r = new RunResult();
        Arrays.stream(line.substring(PREFIX.length()).trim().split(" +")).forEach(pair -> {
            int eq = pair.indexOf('=');
            r.values.put(pair.substring(0, eq), pair.substring(eq + 1));
        });
        return r;
    }
}
