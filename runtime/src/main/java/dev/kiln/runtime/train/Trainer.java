package dev.kiln.runtime.train;

import dev.kiln.dsl.Loss;
import java.io.PrintStream;
import java.util.Collections;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.function.LongSupplier;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.indexing.INDArrayIndex;
import org.nd4j.linalg.indexing.NDArrayIndex;

/**
 * The training loop behind every model's {@code fit}, {@code evaluate} and {@code predict}, as Keras's
 * {@code Trainer}: epochs of mini-batches, running metrics, validation, callbacks and the progress display.
 *
 * <p>Per epoch: reset the metrics; {@code onEpochBegin}; for each batch (shuffled from {@link Fit#seed} and the epoch
 * index) {@code onBatchBegin}, {@link Trainable#trainStep}, fold its loss and predictions into the running values,
 * {@code onBatchEnd}; after the batches the validation pass through {@link Trainable#testStep} (values prefixed
 * {@code val_}); {@code onEpochEnd}. A callback's {@link TrainingContext#stopTraining()} ends training after the
 * current batch, its epoch still ending normally (Keras 3's order).
 *
 * <p>A NaN or infinite batch loss throws {@link KilnTrainingException} after that batch's {@code onBatchEnd},
 * unless a callback (such as {@link TerminateOnNaN}) stopped training there. A step the model refuses with an
 * {@link ArithmeticException} (a finite loss but non-finite gradients) throws it at once, naming the epoch and batch.
 */
public final class Trainer {

    private final LongSupplier clock;

    /** A trainer timing with {@link System#nanoTime()}. */
    public Trainer() {
        this(System::nanoTime);
    }

    /** A trainer reading time in nanoseconds from {@code clock} (tests pass a manual clock). */
    Trainer(LongSupplier clock) {
        this.clock = clock;
    }

    /**
     * Trains {@code model} on {@code data}, as Keras's {@code fit}.
     *
     * @throws IllegalStateException when the model is not compiled
     * @throws IllegalArgumentException when the data cannot fill the options (empty, too few batches, ...)
     * @throws KilnTrainingException when the loss becomes NaN or infinite and no callback stopped training
     */
    public History fit(Trainable model, BatchSource data, Fit options) {
        Objects.requireNonNull(model, "model");
        Objects.requireNonNull(data, "data");
        Objects.requireNonNull(options, "options");
        if (model.optimizer() == null) {
            throw new IllegalStateException("the model is not compiled: call compile(optimizer) before fit,"
                    + " e.g. model.compile(new Adam(1e-3))");
        }
        data = data.alignedTo(model);
        BatchSource train = data;
        BatchSource validation = options.validationData() == null ? null : options.validationData().alignedTo(model);
        if (validation == null && options.validationSplit() > 0) {
            BatchSource[] parts = data.split(options.validationSplit());
            train = parts[0];
            validation = parts[1];
            if (validation.size() == 0) {
                throw new IllegalArgumentException("validationSplit " + options.validationSplit() + " of "
                        + data.size() + " samples leaves no validation sample; use a larger fraction");
            }
        }
        requireSamples(train, "training data");
        int steps = stepsPerEpoch(train, options);
        int verbose = options.resolvedVerbose();
        PrintStream out = options.out();

        List<Trainable.OutputSpec> outputs = model.outputs();
        EpochMetrics trainMetrics = new EpochMetrics(outputs, "");
        EpochMetrics valMetrics = validation == null ? null : new EpochMetrics(outputs, "val_");
        Map<String, MonitorMode> directions = new LinkedHashMap<>(trainMetrics.directions());
        if (valMetrics != null) {
            directions.putAll(valMetrics.directions());
        }
        TrainingContext context = new TrainingContext(model, options.epochs(), steps, verbose, out, directions);
        CallbackList callbacks = new CallbackList(options.callbacks(), context);
        ProgressBar progress = new ProgressBar(verbose, out, clock);
        History history = new History();

        callbacks.trainBegin();
        Map<String, Double> lastLogs = Map.of();
        for (int epoch = options.initialEpoch(); epoch < options.epochs(); epoch++) {
            trainMetrics.reset();
            callbacks.epochBegin(epoch);
            progress.epochBegin(epoch, options.epochs(), steps);
            long start = clock.getAsLong();
            long samples = 0;
            int step = 0;
            Iterator<BatchSource.Batch> batches = train.epoch(options.batchSize(), options.shuffle(), options.seed(),
                    epoch);
            while (step < steps && batches.hasNext() && !context.stopRequested()) {
                BatchSource.Batch batch = batches.next();
                callbacks.batchBegin(step);
                Trainable.StepResult result;
                try {
                    result = model.trainStep(batch.inputs(), batch.targets());
                } catch (ArithmeticException e) { // finite loss, non-finite gradients: the model refused the step
                    progress.abort();
                    KilnTrainingException diverged = new KilnTrainingException("at epoch " + (epoch + 1) + ", batch "
                            + (step + 1) + ": " + e.getMessage(), epoch, step);
                    diverged.initCause(e);
                    throw diverged;
                }
                trainMetrics.update(result, batch);
                samples += batch.size();
                Map<String, Double> logs = trainMetrics.logs();
                callbacks.batchEnd(step, logs);
                if (!Double.isFinite(result.loss()) && !context.stopRequested()) {
                    progress.abort();
                    throw new KilnTrainingException(nanMessage(result, outputs, epoch, step), epoch, step);
                }
                step++;
                progress.batchEnd(step, logs);
            }
            long trained = clock.getAsLong();
            Map<String, Double> logs = new LinkedHashMap<>(trainMetrics.logs());
            if (validation != null) {
                logs.putAll(test(model, validation, options.batchSize(), valMetrics));
            }
            long end = clock.getAsLong();
            double trainSeconds = (trained - start) / 1e9;
            double throughput = trainSeconds > 0 ? samples / trainSeconds : 0;
            lastLogs = Collections.unmodifiableMap(logs);
            progress.epochEnd(step, lastLogs, (end - start) / 1e9, trainSeconds, throughput);
            history.append(epoch, lastLogs, (end - start) / 1e9, throughput);
            callbacks.epochEnd(epoch, lastLogs);
            if (options.report() != null) {
                RunReport.write(options.report(), model, history, null);
            }
            if (context.stopRequested()) {
                break;
            }
        }
        callbacks.trainEnd(lastLogs);
        return history;
    }

    /**
     * Loss and metrics of {@code model} over all of {@code data}, in inference mode, as Keras's {@code evaluate}.
     * Needs no optimizer.
     */
    public Evaluation evaluate(Trainable model, BatchSource data, int batchSize) {
        Objects.requireNonNull(model, "model");
        data = data.alignedTo(model);
        requireSamples(data, "evaluation data");
        EpochMetrics metrics = new EpochMetrics(model.outputs(), "");
        Map<String, Double> values = test(model, data, batchSize, metrics);
        return new Evaluation(values, metrics.outputLosses());
    }

    /**
     * The model's predictions for all of {@code data} (targets are not needed), in storage order: one array per
     * output, {@code (data.size(), ...)}, copied out of the model's buffers.
     */
    public INDArray[] predict(Trainable model, BatchSource data, int batchSize) {
        Objects.requireNonNull(model, "model");
        data = data.alignedTo(model);
        requireSamples(data, "prediction data");
        INDArray[] all = null;
        long row = 0;
        Iterator<BatchSource.Batch> batches = data.epoch(batchSize, false, 0, 0);
        while (batches.hasNext()) {
            BatchSource.Batch batch = batches.next();
            INDArray[] predictions = model.predictBatch(batch.inputs());
            if (all == null) {
                all = new INDArray[predictions.length];
                for (int o = 0; o < all.length; o++) {
                    long[] shape = predictions[o].shape().clone();
                    shape[0] = data.size();
                    all[o] = Nd4j.create(predictions[o].dataType(), shape);
                }
            }
            for (int o = 0; o < all.length; o++) {
                rowsOf(all[o], row, batch.size()).assign(EpochMetrics.rows(predictions[o], batch.size()));
            }
            row += batch.size();
        }
        return all;
    }

    /** One pass of {@code testStep} over {@code data}, in storage order; returns the values. */
    private static Map<String, Double> test(Trainable model, BatchSource data, int batchSize, EpochMetrics metrics) {
        metrics.reset();
        Iterator<BatchSource.Batch> batches = data.epoch(batchSize, false, 0, 0);
        while (batches.hasNext()) {
            BatchSource.Batch batch = batches.next();
            metrics.update(model.testStep(batch.inputs(), batch.targets()), batch);
        }
        return metrics.logs();
    }

    private static int stepsPerEpoch(BatchSource train, Fit options) {
        int batches = train.batches(options.batchSize());
        int steps = options.stepsPerEpoch();
        if (steps > batches) {
            throw new IllegalArgumentException("stepsPerEpoch is " + steps + ", but the training data has only "
                    + batches + " batches of " + options.batchSize() + "; lower stepsPerEpoch or leave it unset");
        }
        return steps == 0 ? batches : steps;
    }

    private static void requireSamples(BatchSource data, String what) {
        Objects.requireNonNull(data, what);
        if (data.size() == 0) {
            throw new IllegalArgumentException("the " + what + " holds no sample");
        }
    }

    private static INDArray rowsOf(INDArray array, long from, int n) {
        INDArrayIndex[] index = new INDArrayIndex[array.rank()];
        index[0] = NDArrayIndex.interval(from, from + n);
        for (int d = 1; d < index.length; d++) {
            index[d] = NDArrayIndex.all();
        }
        return array.get(index);
    }

    /** {@code loss became NaN at epoch 3, batch 17 (output 'main_output' loss = NaN); lower ...} */
    static String nanMessage(Trainable.StepResult result, List<Trainable.OutputSpec> outputs, int epoch, int batch) {
        StringBuilder culprits = new StringBuilder();
        for (int o = 0; o < outputs.size(); o++) {
            double loss = result.outputLosses()[o];
            if (outputs.get(o).loss() != Loss.NONE && !Double.isFinite(loss)) {
                culprits.append(culprits.length() == 0 ? " (" : ", ")
                        .append("output '").append(outputs.get(o).name()).append("' loss = ").append(loss);
            }
        }
        if (culprits.length() > 0) {
            culprits.append(')');
        }
        return "loss became " + result.loss() + " at epoch " + (epoch + 1) + ", batch " + (batch + 1) + culprits
                + "; lower the learning rate or check the data for NaN"
                + " (the callback TerminateOnNaN stops training instead of throwing)";
    }
}
