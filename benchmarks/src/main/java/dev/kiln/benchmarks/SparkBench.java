package dev.kiln.benchmarks;

import dev.kiln.runtime.KilnModel;
import dev.kiln.runtime.data.Dataset;
import dev.kiln.runtime.data.TrainTest;
import dev.kiln.runtime.optim.Adam;
import dev.kiln.runtime.train.Callback;
import dev.kiln.runtime.train.Fit;
import dev.kiln.spark.EpochCost;
import dev.kiln.spark.KilnSpark;
import dev.kiln.spark.SparkFit;
import dev.kiln.spark.SparkRun;
import java.util.ArrayList;
import java.util.List;
import org.apache.spark.api.java.JavaSparkContext;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructType;
import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * The {@code spark} system: the workload's Kiln model trained by {@code KilnSpark.fit} in Spark's local mode with 1 and
 * then 2 executor threads (as many partitions), by synchronous gradients (a round per global batch of the workload's
 * size) and by parameter averaging (every {@link #EVERY} local steps of the workload's batch size per partition), with
 * Kiln's own {@code fit} timed in the same process between them.
 *
 * <p>Each configuration is one {@code KilnSpark.fit} of 1 + windows epochs, each epoch {@code windowSteps} rounds
 * (synchronous) or {@code windowSteps / EVERY} rounds (averaging); the first epoch is the warm-up (Spark's first jobs,
 * the executors' first model). An epoch's samples/s is its samples over its rounds' wall time (broadcast, tasks, tree
 * sum and the driver's update; reading the rows into cached blocks before the first epoch is not counted). After each
 * epoch a callback on the driver runs one window of {@code windowSteps} steps of Kiln's {@code fit} on another model
 * instance, so that every Spark window has a single-machine window right beside it: the ratios are taken pairwise.
 */
final class SparkBench {
    /** Local steps per partition between two averages. */
    static final int EVERY = 8;

    private SparkBench() {
    }

    static RunResult run(Workload workload, TrainTest data, Protocol protocol) {
        RunResult result = new RunResult("spark", workload.name());
        KilnModel alone = workload.kilnModel(protocol.seed());
        List<Double> aloneSps = new ArrayList<>();
        List<Double> aloneGc = new ArrayList<>();
        for (int w = 0; w <= protocol.windows(); w++) { // the first is the warm-up
            long gc = gcMillis();
            double sps = fitWindow(alone, data.train(), workload.batchSize(), protocol, w);
            if (w > 0) {
                aloneSps.add(sps);
                aloneGc.add((double) (gcMillis() - gc));
            }
        }
        result.put("spark_fit_alone_sps", aloneSps);
        System.out.printf(java.util.Locale.ROOT, "Kiln fit in this JVM before Spark starts: %s samples/s (GC ms %s)%n",
                aloneSps, aloneGc);
        for (int threads : new int[] {1, 2}) {
            SparkSession spark = SparkSession.builder().master("local[" + threads + "]").appName("kiln-bench-spark")
                    .config("spark.ui.enabled", "false").config("spark.driver.host", "127.0.0.1")
                    .config("spark.driver.bindAddress", "127.0.0.1").getOrCreate();
            spark.sparkContext().setLogLevel("ERROR");
            try {
                org.apache.spark.sql.Dataset<Row> frame = frame(spark, workload.kilnModel(protocol.seed()),
                        data.train(), threads);
                measure(result, "sync", threads, workload, data.train(), frame, protocol);
                measure(result, "avg", threads, workload, data.train(), frame, protocol);
            } finally {
                spark.stop();
            }
        }
        result.put("rss_mb", PeakRss.megabytes());
        return result;
    }

    /**
     * One configuration: {@code spark_<mode>_<threads>_sps} (each window), {@code .._fit_sps} (Kiln's fit beside
     * each), {@code .._ratio} (pairwise), and per round: {@code .._round_ms}, {@code .._compute_ms}, {@code
     * .._driver_ms}, {@code .._comm_ms}, {@code .._broadcast_kb}, {@code .._aggregated_kb}, {@code .._rounds}.
     */
    private static void measure(RunResult result, String mode, int threads, Workload workload, Dataset train,
                                org.apache.spark.sql.Dataset<Row> frame, Protocol protocol) {
        int batch = workload.batchSize();
        int steps = protocol.windowSteps();
        boolean sync = mode.equals("sync");
        int rounds = sync ? steps : Math.max(1, steps / EVERY);
        KilnModel single = workload.kilnModel(protocol.seed());
        List<Double> fitSps = new ArrayList<>();
        List<Double> fitGc = new ArrayList<>();
        int[] epoch = {0};
        Runnable fitWindow = () -> {
            long gc = gcMillis();
            fitSps.add(fitWindow(single, train, batch, protocol, epoch[0]++));
            fitGc.add((double) (gcMillis() - gc));
        };
        fitWindow.run(); // its warm-up
        fitSps.clear();
        fitGc.clear();
        Callback beside = new Callback() {
            @Override
            public void onEpochEnd(int e, java.util.Map<String, Double> logs) {
                if (e > 0) {
                    fitWindow.run();
                }
            }
        };
        KilnModel model = workload.kilnModel(protocol.seed());
        Fit fit = Fit.epochs(1 + protocol.windows()).batchSize(batch).stepsPerEpoch(rounds).seed(protocol.seed())
                .verbose(0).callbacks(beside);
        SparkRun run = KilnSpark.fit(model, frame, sync ? SparkFit.synchronousGradients(fit)
                : SparkFit.parameterAveraging(fit, EVERY, () -> new Adam(1e-3)));

        List<EpochCost> windows = run.costs().subList(1, run.costs().size());
        List<Double> sps = new ArrayList<>();
        List<Double> ratios = new ArrayList<>();
        List<Double> roundMs = new ArrayList<>();
        List<Double> computeMs = new ArrayList<>();
        List<Double> driverMs = new ArrayList<>();
        List<Double> commMs = new ArrayList<>();
        for (int w = 0; w < windows.size(); w++) {
            EpochCost c = windows.get(w);
            long samples = (long) c.rounds() * batch * (sync ? 1 : (long) EVERY * threads);
            sps.add(samples / c.roundSeconds());
            ratios.add(sps.get(w) / fitSps.get(w));
            roundMs.add(1e3 * c.roundSeconds() / c.rounds());
            computeMs.add(1e3 * c.computeSeconds() / c.rounds());
            driverMs.add(1e3 * c.driverSeconds() / c.rounds());
            commMs.add(1e3 * c.communicationSeconds() / c.rounds());
        }
        String key = "spark_" + mode + "_" + threads + "_";
        EpochCost last = windows.get(windows.size() - 1);
        result.put(key + "sps", sps);
        result.put(key + "fit_sps", fitSps);
        result.put(key + "ratio", ratios);
        result.put(key + "round_ms", roundMs);
        result.put(key + "compute_ms", computeMs);
        result.put(key + "driver_ms", driverMs);
        result.put(key + "comm_ms", commMs);
        result.put(key + "broadcast_kb", last.bytesBroadcast() / 1e3 / last.rounds());
        result.put(key + "aggregated_kb", last.bytesAggregated() / 1e3 / last.rounds());
        result.put(key + "rounds", last.rounds());
        System.out.printf(java.util.Locale.ROOT, "spark %s, %d thread(s): %s; Kiln fit beside it %s samples/s (GC ms"
                + " %s); rounds' ms %s, compute %s, driver %s%n", mode, threads, sps, fitSps, fitGc, roundMs, computeMs,
                driverMs);
    }

    /** One window of {@code windowSteps} steps of Kiln's fit (epoch {@code epoch}'s shuffle): its samples/s. */
    private static double fitWindow(KilnModel model, Dataset train, int batch, Protocol protocol, int epoch) {
        int steps = protocol.windowSteps();
        long start = System.nanoTime();
        model.fit(train, Fit.epochs(epoch + 1).initialEpoch(epoch).batchSize(batch).stepsPerEpoch(steps)
                .seed(protocol.seed()).verbose(0));
        return (double) steps * batch / ((System.nanoTime() - start) / 1e9);
    }

    /** Milliseconds this JVM's collectors have run so far. */
    private static long gcMillis() {
        return java.lang.management.ManagementFactory.getGarbageCollectorMXBeans().stream()
                .mapToLong(java.lang.management.GarbageCollectorMXBean::getCollectionTime).sum();
    }

    /** The training set as rows of a float array column (the model's input) and a class-id column (its output). */
    private static org.apache.spark.sql.Dataset<Row> frame(SparkSession spark, KilnModel model, Dataset train,
                                                          int partitions) {
        INDArray x = train.inputs().get(0);
        INDArray flat = x.reshape('c', new long[] {x.size(0), x.length() / x.size(0)});
        double[] labels = train.targets().get(0).ravel().toDoubleVector();
        List<Row> rows = new ArrayList<>(labels.length);
        for (int r = 0; r < labels.length; r++) {
            rows.add(RowFactory.create(flat.getRow(r).toFloatVector(), labels[r]));
        }
        StructType schema = new StructType()
                .add(model.inputNames().get(0), DataTypes.createArrayType(DataTypes.FloatType, false), false)
                .add(model.outputs().get(0).name(), DataTypes.DoubleType, false);
        JavaSparkContext context = JavaSparkContext.fromSparkContext(spark.sparkContext());
        return spark.createDataFrame(context.parallelize(rows, partitions), schema);
    }
}
