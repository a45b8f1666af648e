package dev.kiln.benchmarks;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.function.Function;

/** The table of one workload: each metric's median [min-max] per system, and Kiln's ratio to the others. */
final class BenchReport {
    private static final Map<String, String> NAMES = Map.of("kiln", "Kiln", "kiln-loop", "Kiln loop", "dl4j", "DL4J",
            "torch", "PyTorch");

    private final Workload workload;
    private final List<String> systems;
    private final Map<String, List<RunResult>> results = new LinkedHashMap<>();
    private final List<RunResult> gemms = new ArrayList<>();
    /** The spark system's results: a table of their own, below the systems' table. */
    private final List<RunResult> spark = new ArrayList<>();

    BenchReport(Workload workload, List<String> systems) {
        this.workload = workload;
        this.systems = systems.stream().filter(s -> !s.equals("spark")).toList();
        this.systems.forEach(s -> results.put(s, new ArrayList<>()));
    }

    void add(String system, RunResult result) {
        if (system.equals("spark")) {
            spark.add(result);
        } else {
            results.get(system).add(result);
        }
    }

    void addGemm(RunResult result) {
        gemms.add(result);
    }

    /** The line printed as a child finishes. */
    static String progress(RunResult r) {
        if (r.text("system").equals("spark")) {
            StringBuilder line = new StringBuilder();
            for (String[] config : SPARK_CONFIGS) {
                String key = "spark_" + config[0] + "_";
                line.append(String.format(Locale.ROOT, "%s%s %,.0f/s (fit %,.0f/s)", line.length() == 0 ? "" : "  ",
                        config[0], Timing.median(r.numbers(key + "sps")), Timing.median(r.numbers(key + "fit_sps"))));
            }
            return line.toString();
        }
        if (r.has("gemm_limit_sps")) {
            return String.format(Locale.ROOT, "GEMM-bound limit %,.0f samples/s", r.numbers("gemm_limit_sps").get(0));
        }
        return String.format(Locale.ROOT, "train %,.0f/s  infer %,.0f/s  batch-1 %.0f us  acc %.4f  RSS %.0f MB",
                Timing.median(r.numbers("train_sps")), Timing.median(r.numbers("infer_sps")),
                r.numbers("latency_us").get(0), r.numbers("accuracy").get(0), r.numbers("rss_mb").get(0));
    }

    /** The spark system's configurations: the key part and the label. */
    private static final String[][] SPARK_CONFIGS = {
            {"sync_1", "1 thread, synchronous gradients"},
            {"avg_1", "1 thread, averaging every " + SparkBench.EVERY + " steps"},
            {"sync_2", "2 threads, synchronous gradients"},
            {"avg_2", "2 threads, averaging every " + SparkBench.EVERY + " steps"}};

    /**
     * Kiln on Spark in local mode: each configuration's samples/s over all windows, Kiln's fit measured between them in
     * the same process, the median of the windows' pairwise ratios, the ratio to the kiln system's child, and a round's
     * cost: its wall time split into compute (the slowest task), the driver's update and the rest (communication), and
     * its bytes broadcast and aggregated.
     */
    private String renderSpark() {
        List<String> header = new ArrayList<>(List.of("Kiln on Spark, local mode", "samples/s", "Kiln fit beside",
                "Spark/fit"));
        boolean kiln = systems.contains("kiln") && !results.get("kiln").isEmpty();
        if (kiln) {
            header.add("Spark/kiln");
        }
        header.addAll(List.of("ms/round", "compute", "driver", "comm.", "kB bcast", "kB aggr.", "rounds/window"));
        List<List<String>> rows = new ArrayList<>();
        for (String[] config : SPARK_CONFIGS) {
            String key = "spark_" + config[0] + "_";
            Function<String, List<Double>> all = k -> {
                List<Double> v = new ArrayList<>();
                spark.forEach(r -> v.addAll(r.numbers(key + k)));
                return v;
            };
            List<String> row = new ArrayList<>(List.of(config[1], cell(all.apply("sps"), "%,.0f"),
                    cell(all.apply("fit_sps"), "%,.0f"), String.format(Locale.ROOT, "%.2f",
                            Timing.median(all.apply("ratio")))));
            if (kiln) {
                row.add(String.format(Locale.ROOT, "%.2f", Timing.median(all.apply("sps"))
                        / Timing.median(values("kiln", "train_sps"))));
            }
            for (String k : List.of("round_ms", "compute_ms", "driver_ms", "comm_ms")) {
                row.add(String.format(Locale.ROOT, "%.1f", Timing.median(all.apply(k))));
            }
            for (String k : List.of("broadcast_kb", "aggregated_kb", "rounds")) {
                row.add(String.format(Locale.ROOT, "%,.0f", Timing.median(all.apply(k))));
            }
            rows.add(row);
        }
        List<Double> alone = new ArrayList<>();
        spark.forEach(r -> alone.addAll(r.numbers("spark_fit_alone_sps")));
        return String.format(Locale.ROOT, "%nKiln on Spark (%d run(s)): a round is a global batch of %d (synchronous) or"
                + " %d local steps of %d per partition (averaging); 1 or 2 partitions, as many executor threads; Kiln"
                + " fit beside = Kiln's fit in the same JVM between the Spark windows; Spark/fit = median of the"
                + " windows' ratios%s; the round's ms are medians over the windows. Kiln's fit in the same JVM before"
                + " Spark started: %s samples/s%n", spark.size(), workload.batchSize(), SparkBench.EVERY,
                workload.batchSize(), kiln ? "; Spark/kiln = against the kiln child's training samples/s" : "",
                cell(alone, "%,.0f")) + table(header, rows);
    }

    String render(int rounds) {
        List<GemmShape> shapes = workload.stepGemms();
        List<Double> best = bestOverRounds(shapes.size(), "gemm_gflops");
        List<Double> bestNd4j = bestOverRounds(shapes.size(), "gemm_gflops_nd4j");
        List<Double> bestKiln = bestOverRounds(shapes.size(), "gemm_gflops_kiln");
        double limit = gemms.isEmpty() ? Double.NaN : GemmBench.limit(shapes, best, workload.batchSize());

        List<String> header = new ArrayList<>(List.of("metric"));
        systems.forEach(s -> header.add(NAMES.get(s)));
        if (systems.contains("kiln")) {
            others().forEach(s -> header.add("Kiln/" + NAMES.get(s)));
        }
        List<List<String>> rows = new ArrayList<>();
        row(rows, "train samples/s", "train_sps", "%,.0f");
        derived(rows, "  % of GEMM-bound limit (best of all rounds)",
                s -> 100 * Timing.median(values(s, "train_sps")) / limit, "%.0f");
        row(rows, "  % of the same round's GEMM limit", this::pairedFractions, "%.0f");
        row(rows, "inference samples/s (batch " + workload.batchSize() + ")", "infer_sps", "%,.0f");
        row(rows, "batch-1 latency us (median; lower is better)", "latency_us", "%,.0f");
        row(rows, "batch-1 latency us (p90)", "latency_p90_us", "%,.0f");
        row(rows, "peak RSS MB (lower is better)", "rss_mb", "%,.0f");
        row(rows, "test accuracy after 1 epoch (a seed a round)", "accuracy", "%.4f");
        row(rows, "epoch 1 wall s (incl. warm-up)", "epoch_s", "%.1f");
        row(rows, "ms/step: forward (inference, b" + workload.batchSize() + ")", "phase_ms.forward", "%.2f");
        row(rows, "ms/step: fwd+loss+bwd", "phase_ms.fwd+loss+bwd", "%.2f");
        row(rows, "ms/step: + optimizer (one step)", "phase_ms.trainStep", "%.2f");
        derived(rows, "ms/step: in the training loop (from train samples/s)",
                s -> 1e3 * workload.batchSize() / Timing.median(values(s, "train_sps")), "%.2f");
        row(rows, "CPU cores busy while training", "train_cpu_cores", "%.2f");

        StringBuilder out = new StringBuilder();
        out.append(String.format(Locale.ROOT, "%s: median [min-max]; throughputs over all windows of all %d round(s),"
                + " the rest over rounds; Kiln/X = ratio of medians%n", workload.name(), rounds));
        out.append(table(header, rows));
        out.append(String.format(Locale.ROOT, "%nGEMM-bound limit: %,.0f samples/s = %d / sum(2mnk / best rate) over"
                + " the step's %d GEMMs (float32 into preallocated outputs, the better of ND4J's Nd4j.gemm and Kiln's"
                + " Kernels.gemm, best over %d round(s))%n",
                limit, workload.batchSize(), shapes.size(), gemms.size()));
        List<List<String>> gemmRows = new ArrayList<>();
        double total = 0;
        for (int i = 0; i < shapes.size(); i++) {
            total += shapes.get(i).stepFlops() / (best.get(i) * 1e9);
        }
        for (int i = 0; i < shapes.size(); i++) {
            GemmShape g = shapes.get(i);
            double seconds = g.stepFlops() / (best.get(i) * 1e9);
            gemmRows.add(List.of(g.role(), g.label(), String.format(Locale.ROOT, "%.1f", g.stepFlops() / 1e6),
                    String.format(Locale.ROOT, "%.1f", bestNd4j.get(i)),
                    String.format(Locale.ROOT, "%.1f", bestKiln.get(i)),
                    String.format(Locale.ROOT, "%.3f", seconds * 1e3),
                    String.format(Locale.ROOT, "%.0f%%", 100 * seconds / total)));
        }
        gemmRows.add(List.of("total", "", String.format(Locale.ROOT, "%.1f",
                shapes.stream().mapToDouble(GemmShape::flops).sum() / 1e6), "", "", String.format(Locale.ROOT, "%.3f",
                total * 1e3), "100%"));
        out.append(table(List.of("gemm", "shape", "MFLOP", "GFLOP/s ND4J", "GFLOP/s Kiln", "ms (better)", "share"),
                gemmRows));
        if (!spark.isEmpty()) {
            out.append(renderSpark());
        }
        return out.toString();
    }

    /** Per shape, the highest of {@code key}'s rates over the rounds' GEMM measurements (NaN when none has it). */
    private List<Double> bestOverRounds(int shapes, String key) {
        List<Double> best = new ArrayList<>();
        for (int i = 0; i < shapes; i++) {
            int s = i;
            best.add(gemms.stream().filter(g -> g.has(key)).mapToDouble(g -> g.numbers(key).get(s)).max()
                    .orElse(Double.NaN));
        }
        return best;
    }

    private void row(List<List<String>> rows, String label, String key, String format) {
        row(rows, label, s -> values(s, key), format);
    }

    private void row(List<List<String>> rows, String label, Function<String, List<Double>> values, String format) {
        if (systems.stream().allMatch(s -> values.apply(s).isEmpty())) {
            return;
        }
        List<String> row = new ArrayList<>(List.of(label));
        for (String s : systems) {
            row.add(cell(values.apply(s), format));
        }
        if (systems.contains("kiln")) {
            double kiln = Timing.median(values.apply("kiln"));
            for (String s : others()) {
                double other = Timing.median(values.apply(s));
                row.add(Double.isNaN(kiln) || Double.isNaN(other) ? "-"
                        : String.format(Locale.ROOT, "%.2f", kiln / other));
            }
        }
        rows.add(row);
    }

    /** A row of one number per system computed from others, with ratios. */
    private void derived(List<List<String>> rows, String label, Function<String, Double> value, String format) {
        if (systems.stream().allMatch(s -> Double.isNaN(value.apply(s)))) {
            return;
        }
        List<String> row = new ArrayList<>(List.of(label));
        for (String s : systems) {
            double v = value.apply(s);
            row.add(Double.isNaN(v) ? "-" : String.format(Locale.ROOT, format, v));
        }
        if (systems.contains("kiln")) {
            double kiln = value.apply("kiln");
            for (String s : others()) {
                double other = value.apply(s);
                row.add(Double.isNaN(kiln) || Double.isNaN(other) ? "-"
                        : String.format(Locale.ROOT, "%.2f", kiln / other));
            }
        }
        rows.add(row);
    }

    /**
     * Per round, the system's median training throughput over the GEMM-bound limit measured just before it: with
     * other work on the machine coming and going, a fairer fraction than one against the best round's limit.
     */
    private List<Double> pairedFractions(String system) {
        List<Double> out = new ArrayList<>();
        for (RunResult r : results.get(system)) {
            for (RunResult g : gemms) {
                if (g.numbers("round").equals(r.numbers("round"))) {
                    out.add(100 * Timing.median(r.numbers("train_sps")) / g.numbers("gemm_limit_sps").get(0));
                }
            }
        }
        return out;
    }

    /** The systems Kiln is compared with, in the order of the ratio columns: PyTorch first. */
    private List<String> others() {
        return List.of("torch", "dl4j").stream().filter(systems::contains).toList();
    }

    /** The values of every round: a throughput's windows, or one value a round. */
    private List<Double> values(String system, String key) {
        List<Double> all = new ArrayList<>();
        results.get(system).forEach(r -> all.addAll(r.numbers(key)));
        return all;
    }

    private static String cell(List<Double> values, String format) {
        if (values.isEmpty()) {
            return "-";
        }
        String median = String.format(Locale.ROOT, format, Timing.median(values));
        double min = Timing.min(values);
        double max = Timing.max(values);
        if (values.size() == 1 || min == max) {
            return median;
        }
        return median + " [" + String.format(Locale.ROOT, format, min) + "-" + String.format(Locale.ROOT, format, max)
                + "]";
    }

    private static String table(List<String> header, List<List<String>> rows) {
        int[] width = new int[header.size()];
        List<List<String>> all = new ArrayList<>();
        all.add(header);
        all.addAll(rows);
        for (List<String> row : all) {
            for (int c = 0; c < row.size(); c++) {
                width[c] = Math.max(width[c], row.get(c).length());
            }
        }
        StringBuilder out = new StringBuilder();
        for (List<String> row : all) {
            StringBuilder line = new StringBuilder();
            for (int c = 0; c < row.size(); c++) {
                String cellText = row.get(c);
                line.append(c == 0 ? String.format("%-" + width[c] + "s", cellText)
                        : "  " + String.format("%" + width[c] + "s", cellText));
            }
            out.append(line.toString().stripTrailing()).append('\n');
        }
        return out.toString();
    }
}
