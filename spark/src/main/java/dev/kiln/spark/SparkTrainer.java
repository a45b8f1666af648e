package dev.kiln.spark;

import dev.kiln.runtime.KilnModel;
import dev.kiln.runtime.optim.Optimizer;
import dev.kiln.runtime.train.DrivenFit;
import dev.kiln.runtime.train.Fit;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.apache.spark.api.java.JavaRDD;
import org.apache.spark.api.java.JavaSparkContext;
import org.apache.spark.broadcast.Broadcast;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.indexing.NDArrayIndex;

/** The driver's side of {@link KilnSpark#fit}: rounds of broadcast, tasks, tree sum and update, inside a DrivenFit. */
final class SparkTrainer {

    private SparkTrainer() {
    }

    static SparkRun fit(KilnModel model, Dataset<Row> data, SparkFit options) {
        prepareOptimizer(model, options);
        Layout layout = Layout.of(model, data.schema(), true);
        Dataset<Row> rows = options.partitions() > 0 ? data.repartition(options.partitions()) : data;
        return fit(model, rows.javaRDD(), layout, options);
    }

    static SparkRun fit(KilnModel model, JavaRDD<Sample> samples, SparkFit options) {
        prepareOptimizer(model, options);
        Layout layout = Layout.ofSamples(model, true, List.of());
        return fit(model, options.partitions() > 0 ? samples.repartition(options.partitions()) : samples, layout,
                options);
    }

    private static <T> SparkRun fit(KilnModel model, JavaRDD<T> records, Layout layout, SparkFit options) {
        Partitions parts = Partitions.read(records, layout, true);
        try {
            return rounds(model, parts, layout, options, JavaSparkContext.fromSparkContext(records.context()));
        } finally {
            parts.blocks.unpersist(false);
        }
    }

    private static void prepareOptimizer(KilnModel model, SparkFit options) {
        if (options.mode() == SparkFit.Mode.PARAMETER_AVERAGING) {
            Optimizer wanted = options.optimizer().create();
            if (model.optimizer() == null) {
                model.compile(wanted);
            } else if (!model.optimizer().config().equals(wanted.config())) {
                throw new IllegalArgumentException("the executors' optimizer " + wanted.config() + " is not configured"
                        + " as the model's " + model.optimizer().config() + ": give parameterAveraging a factory of"
                        + " the optimizer the model was compiled with");
            }
        } else if (model.optimizer() == null) {
            throw new IllegalStateException(model.spec().modelName() + " is not compiled: call compile(new Adam(1e-3))"
                    + " (or another optimizer) before training; the driver applies it to each round's gradient");
        }
    }

    private static SparkRun rounds(KilnModel model, Partitions parts, Layout layout, SparkFit options,
                                   JavaSparkContext spark) {
        Fit fit = options.fit();
        if (parts.total == 0) {
            throw new IllegalArgumentException("the training data holds no row");
        }
        boolean sync = options.mode() == SparkFit.Mode.SYNCHRONOUS_GRADIENTS;
        int rounds;
        if (sync) {
            rounds = Math.toIntExact((parts.total + fit.batchSize() - 1) / fit.batchSize());
        } else {
            long longest = 0;
            for (long r : parts.rows) {
                longest = Math.max(longest, (r + fit.batchSize() - 1) / fit.batchSize());
            }
            rounds = Math.toIntExact((longest + options.every() - 1) / options.every());
        }
        int run = fit.stepsPerEpoch() > 0 ? Math.min(fit.stepsPerEpoch(), rounds) : rounds;
        @SuppressWarnings("unchecked")
        Class<? extends KilnModel> modelClass = (Class<? extends KilnModel>) model.getClass();
        DataType dtype = model.dataType();
        Worker worker = new Worker(modelClass, dtype, layout, options, rounds);
        JavaRDD<Block> blocks = parts.blocks;
        int depth = options.treeDepth();

        DrivenFit driven = DrivenFit.start(model, fit, run);
        List<String> names = driven.trainingLogNames();
        List<EpochCost> costs = new ArrayList<>();
        for (int epoch = fit.initialEpoch(); epoch < fit.epochs() && !driven.stopRequested(); epoch++) {
            driven.epochBegin(epoch);
            double[] sums = new double[names.size()];
            long samples = 0;
            long broadcast = 0;
            long aggregated = 0;
            long computeNanos = 0;
            long driverNanos = 0;
            long roundNanos = 0;
            int done = 0;
            Map<String, Double> logs = new LinkedHashMap<>();
            for (int round = 0; round < run && !driven.stopRequested(); round++) {
                driven.batchBegin(round);
                long start = System.nanoTime();
                Payload payload = payload(model, epoch, round, (long) epoch * rounds + round, sync);
                Broadcast<Payload> shared = spark.broadcast(payload);
                Partial total;
                try {
                    total = blocks.map(block -> worker.run(block, shared.value()))
                            .treeAggregate(new TreeSum(), (sum, p) -> sum.add(p.partition, p), TreeSum::merge, depth)
                            .total();
                } finally {
                    shared.destroy();
                }
                long aggregatedAt = System.nanoTime();
                computeNanos += total.computeNanos;
                broadcast += payload.bytes();
                aggregated += (long) parts.rows.length * total.bytes();
                if (!Double.isFinite(total.logs[0])) {
                    throw new ArithmeticException("at epoch " + (epoch + 1) + ", round " + (round + 1) + " the loss"
                            + " became " + total.logs[0] + "; the round was not applied. Lower the learning rate, or"
                            + " clip gradients (clipnorm)");
                }
                update(model, total, payload, sync);
                long end = System.nanoTime();
                driverNanos += end - aggregatedAt;
                roundNanos += end - start;
                for (int i = 0; i < sums.length; i++) {
                    sums[i] += total.logs[i];
                }
                samples += total.samples;
                for (int i = 0; i < sums.length; i++) {
                    logs.put(names.get(i), samples == 0 ? 0.0 : sums[i] / samples);
                }
                done++;
                driven.batchEnd(round, logs);
            }
            driven.epochEnd(epoch, done, logs, samples, roundNanos / 1e9);
            EpochCost cost = new EpochCost(epoch, done, parts.rows.length, broadcast, aggregated,
                    computeNanos / 1e9, driverNanos / 1e9, roundNanos / 1e9);
            costs.add(cost);
            if (fit.resolvedVerbose() > 0) {
                fit.out().println(cost);
                fit.out().flush();
            }
        }
        return new SparkRun(driven.finish(), costs);
    }

    private static Payload payload(KilnModel model, int epoch, int round, long globalRound, boolean sync) {
        Flat weights = Flat.of(model.parameterBuffer());
        if (sync) {
            return new Payload(epoch, round, globalRound, weights, null, null, 0, Set.of());
        }
        Map<String, INDArray> state = model.optimizer().state();
        long iterations = state.remove("iterations").getLong(0);
        String[] names = state.keySet().toArray(new String[0]);
        Flat[] slots = new Flat[names.length];
        for (int i = 0; i < names.length; i++) {
            slots[i] = Flat.of(state.get(names[i]));
        }
        return new Payload(epoch, round, globalRound, weights, names, slots, iterations, model.frozenVariables());
    }

    /**
     * Synchronous: the optimizer on the mean gradient. Averaging: the mean weights and slots, weighted by samples. A
     * mean is taken as the broadcast value plus the partitions' mean change, so what no partition changed stays exact.
     */
    private static void update(KilnModel model, Partial total, Payload payload, boolean sync) {
        DataType dtype = model.dataType();
        if (total.samples == 0) {
            return;
        }
        if (sync) {
            DriverStep.apply(model, mean(null, 0, total.vector, total.samples, dtype));
            if (total.moving != null) { // each partition's moving statistics, averaged by samples
                long trainable = DriverStep.trainableLength(model);
                model.parameterBuffer().get(NDArrayIndex.interval(trainable, model.parameterBuffer().length()))
                        .assign(mean(payload.weights, (int) trainable, total.moving, total.samples, dtype));
            }
            return;
        }
        model.parameterBuffer().assign(mean(payload.weights, 0, total.vector, total.samples, dtype)
                .reshape(model.parameterBuffer().shape()));
        Map<String, INDArray> state = new LinkedHashMap<>();
        for (int s = 0; s < payload.slotNames.length; s++) {
            state.put(payload.slotNames[s], mean(payload.slots[s], 0, total.slots[s], total.samples, dtype));
        }
        state.put("iterations", Nd4j.scalar(payload.iterations + total.steps));
        model.optimizer().loadState(state);
    }

    /** {@code base[from..] + sum / samples} (just the mean when {@code base} is null), in {@code dtype}. */
    private static INDArray mean(Flat base, int from, double[] sum, long samples, DataType dtype) {
        double[] m = new double[sum.length];
        double[] b = base == null ? null : base.toDoubles();
        for (int i = 0; i < m.length; i++) {
            m[i] = (b == null ? 0 : b[from + i]) + sum[i] / samples;
        }
        INDArray a = Nd4j.createFromArray(m);
        return dtype == DataType.DOUBLE ? a : a.castTo(dtype);
    }
}
