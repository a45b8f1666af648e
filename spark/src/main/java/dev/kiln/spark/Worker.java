package dev.kiln.spark;

import dev.kiln.dsl.Loss;
import dev.kiln.runtime.KilnModel;
import dev.kiln.runtime.optim.Optimizer;
import dev.kiln.runtime.train.Trainable.OutputSpec;
import dev.kiln.runtime.train.Trainable.StepResult;
import java.io.Serializable;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/**
 * What a task of a training round does on its partition, given the round's {@link Payload}. Everything it computes
 * follows from the payload, the partition's cached {@link Block} and this configuration (the seed, the epoch and the
 * partition choose the sample order and the dropout masks, those of layers with a seed of their own included), so a
 * task that Spark retries returns the same bits.
 */
final class Worker implements Serializable {
    private static final long serialVersionUID = 1L;

    /** Tests only: called at the start of every task with (global round, partition); may throw to fail the task. */
    static volatile FailureHook failureHook;

    interface FailureHook {
        void beforeTask(long globalRound, int partition);
    }

    final Class<? extends KilnModel> modelClass;
    final DataType dtype;
    final Layout layout;
    final SparkFit.Mode mode;
    final int batchSize;
    final int every;
    final boolean shuffle;
    final long seed;
    /** Synchronous gradients: the steps of an epoch, each taking a 1/steps share of every partition. */
    final int stepsPerEpoch;
    final SparkFit.OptimizerFactory optimizers;

    Worker(Class<? extends KilnModel> modelClass, DataType dtype, Layout layout, SparkFit options, int stepsPerEpoch) {
        this.modelClass = modelClass;
        this.dtype = dtype;
        this.layout = layout;
        this.mode = options.mode();
        this.batchSize = options.fit().batchSize();
        this.every = options.every();
        this.shuffle = options.fit().shuffle();
        this.seed = options.fit().seed();
        this.stepsPerEpoch = stepsPerEpoch;
        this.optimizers = options.optimizer();
    }

    /** The task of one round on one partition. */
    Partial run(Block block, Payload payload) {
        FailureHook hook = failureHook;
        if (hook != null) {
            hook.beforeTask(payload.globalRound, block.partition);
        }
        long start = System.nanoTime();
        Partial out = mode == SparkFit.Mode.SYNCHRONOUS_GRADIENTS ? gradients(block, payload) : average(block, payload);
        out.computeNanos = System.nanoTime() - start;
        out.partition = block.partition;
        return out;
    }

    /** The partition's share of the round's global batch: its gradient times its samples. */
    private Partial gradients(Block block, Payload payload) {
        KilnModel model = WorkerModels.of(modelClass, dtype);
        List<OutputSpec> outputs = model.outputs();
        Partial out = new Partial();
        out.logs = new double[Tally.size(outputs)];
        int from = (int) ((long) payload.round * block.rows / stepsPerEpoch);
        int to = (int) ((long) (payload.round + 1) * block.rows / stepsPerEpoch);
        if (to == from) {
            return out;
        }
        payload.weights.copyInto(model.parameterBuffer());
        model.reseedAll(mix(seed, payload.globalRound, block.partition));
        int[] order = order(block.rows, shuffle, seed, payload.epoch, block.partition);
        INDArray[] inputs = inputs(model, block, order, from, to);
        INDArray[] targets = targets(model, block, order, from, to);
        StepResult result = model.computeGradients(inputs, targets, true);
        int n = to - from;
        double[] g = model.gradientBuffer().ravel().toDoubleVector();
        for (int i = 0; i < g.length; i++) {
            g[i] *= n;
        }
        out.samples = n;
        out.vector = g;
        int trainable = (int) DriverStep.trainableLength(model);
        if (trainable < model.parameterBuffer().length()) { // moving statistics, updated by the forward pass
            double[] change = change(model.parameterBuffer(), payload.weights, n);
            out.moving = java.util.Arrays.copyOfRange(change, trainable, change.length);
        }
        Tally.add(out.logs, outputs, result, targets, n);
        return out;
    }

    /**
     * {@code every} local steps from the broadcast weights and optimizer state: how far the weights and slots moved,
     * times samples. The variables frozen on the driver are frozen here too, so they stay as broadcast.
     */
    private Partial average(Block block, Payload payload) {
        KilnModel model = WorkerModels.compiled(modelClass, dtype, optimizers, payload.frozen);
        List<OutputSpec> outputs = model.outputs();
        Partial out = new Partial();
        out.logs = new double[Tally.size(outputs)];
        int first = payload.round * every;
        if ((long) first * batchSize >= block.rows) {
            return out;
        }
        payload.weights.copyInto(model.parameterBuffer());
        WorkerModels.freeze(model, payload.frozen);
        Optimizer optimizer = model.optimizer();
        Map<String, INDArray> state = new LinkedHashMap<>();
        for (int s = 0; s < payload.slotNames.length; s++) {
            INDArray slot = Nd4j.create(dtype, payload.slots[s].length());
            payload.slots[s].copyInto(slot);
            state.put(payload.slotNames[s], slot);
        }
        state.put("iterations", Nd4j.scalar(payload.iterations));
        optimizer.loadState(state);
        model.reseedAll(mix(seed, payload.globalRound, block.partition));
        int[] order = order(block.rows, shuffle, seed, payload.epoch, block.partition);
        long samples = 0;
        int steps = 0;
        for (int j = first; j < first + every && (long) j * batchSize < block.rows; j++) {
            int from = j * batchSize;
            int to = Math.min(from + batchSize, block.rows);
            INDArray[] targets = targets(model, block, order, from, to);
            StepResult result = model.trainStep(inputs(model, block, order, from, to), targets);
            Tally.add(out.logs, outputs, result, targets, to - from);
            samples += to - from;
            steps++;
            if (!Double.isFinite(result.loss())) {
                break; // the step was not applied; the driver sees the loss and stops
            }
        }
        out.samples = samples;
        out.steps = steps;
        out.vector = change(model.parameterBuffer(), payload.weights, samples);
        Map<String, INDArray> after = optimizer.state();
        out.slots = new double[payload.slotNames.length][];
        for (int s = 0; s < payload.slotNames.length; s++) {
            out.slots[s] = change(after.get(payload.slotNames[s]), payload.slots[s], samples);
        }
        return out;
    }

    /**
     * {@code (now - before) * samples}, flat: a partition's say in an average taken as the broadcast values plus the
     * mean change, so that a value no partition changed (a frozen weight, a frozen layer's moving statistics) comes
     * back bit for bit.
     */
    private static double[] change(INDArray now, Flat before, long samples) {
        double[] v = now.ravel().toDoubleVector();
        double[] b = before.toDoubles();
        for (int i = 0; i < v.length; i++) {
            v[i] = (v[i] - b[i]) * samples;
        }
        return v;
    }

    private INDArray[] inputs(KilnModel model, Block block, int[] order, int from, int to) {
        INDArray[] in = new INDArray[layout.inputs.size()];
        for (int i = 0; i < in.length; i++) {
            in[i] = block.gather(i, layout.inputs.get(i).shape, order, from, to, dtype);
        }
        return in;
    }

    /** Targets in the model's order; an output without a loss gets zeros of its shape (its loss reads none). */
    private INDArray[] targets(KilnModel model, Block block, int[] order, int from, int to) {
        INDArray[] t = new INDArray[layout.labels.size()];
        int base = layout.inputs.size();
        for (int j = 0; j < t.length; j++) {
            Column c = layout.labels.get(j);
            if (c == null) {
                long[] shape = model.spec().node(model.outputs().get(j).name()).shape();
                long[] full = new long[shape.length + 1];
                full[0] = to - from;
                System.arraycopy(shape, 0, full, 1, shape.length);
                t[j] = Nd4j.zeros(dtype, full);
            } else {
                t[j] = block.gather(base + j, c.shape, order, from, to, dtype);
            }
        }
        return t;
    }

    /**
     * The order in which a partition visits its samples in epoch {@code epoch}: storage order, or a permutation drawn
     * from the seed, the epoch and the partition (Fisher-Yates).
     */
    static int[] order(int rows, boolean shuffle, long seed, int epoch, int partition) {
        int[] order = new int[rows];
        for (int i = 0; i < rows; i++) {
            order[i] = i;
        }
        if (shuffle) {
            SplittableRandom random = new SplittableRandom(mix(seed, epoch, partition));
            for (int i = rows - 1; i > 0; i--) {
                int j = random.nextInt(i + 1);
                int t = order[i];
                order[i] = order[j];
                order[j] = t;
            }
        }
        return order;
    }

    /** A seed from three numbers (SplitMix64's finalizer over a combination). */
    static long mix(long seed, long a, long b) {
        long z = seed * 0x9E3779B97F4A7C15L + a * 0xBF58476D1CE4E5B9L + b * 0x94D049BB133111EBL + 0x632BE59BD9B4E019L;
        z = (z ^ (z >>> 30)) * 0xBF58476D1CE4E5B9L;
        z = (z ^ (z >>> 27)) * 0x94D049BB133111EBL;
        return z ^ (z >>> 31);
    }
}
