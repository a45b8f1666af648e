package dev.kiln.runtime.train;

import java.io.PrintStream;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.function.LongSupplier;

/**
 * The part of {@code fit} that is not the step: callbacks, the progress display, validation and {@link History}, for a
 * training loop whose steps something else computes (a cluster: {@code kiln-spark} runs its rounds on executors).
 * The caller drives it exactly as {@link Trainer#fit} drives itself:
 *
 * <pre>{@code
 * DrivenFit run = DrivenFit.start(model, options, stepsPerEpoch);        // onTrainBegin
 * for (int epoch = options.initialEpoch(); epoch < options.epochs() && !run.stopRequested(); epoch++) {
 *     run.epochBegin(epoch);
 *     for (int step = 0; step < stepsPerEpoch && !run.stopRequested(); step++) {
 *         run.batchBegin(step);
 *         ... one step elsewhere, its running values by run.trainingLogNames() ...
 *         run.batchEnd(step, logs);
 *     }
 *     run.epochEnd(epoch, stepsRun, logs, samples, trainSeconds);       // validation on the driver, History, callbacks
 * }
 * History history = run.finish();                                        // onTrainEnd
 * }</pre>
 *
 * <p>Validation ({@link Fit#validationData}) runs here through {@link Trainable#testStep} on the model in this JVM,
 * as in {@code fit}; {@link Fit#validationSplit} is the caller's to honour (it owns the data).
 */
public final class DrivenFit {

    private final Trainable model;
    private final Fit options;
    private final int stepsPerEpoch;
    private final LongSupplier clock;
    private final EpochMetrics trainNames;
    private final EpochMetrics valMetrics;
    private final BatchSource validation;
    private final TrainingContext context;
    private final CallbackList callbacks;
    private final ProgressBar progress;
    private final History history = new History();
    private Map<String, Double> lastLogs = Map.of();
    private long epochStart;

    private DrivenFit(Trainable model, Fit options, int stepsPerEpoch, LongSupplier clock) {
        this.model = Objects.requireNonNull(model, "model");
        this.options = Objects.requireNonNull(options, "options");
        if (stepsPerEpoch < 1) {
            throw new IllegalArgumentException("an epoch needs at least one step, got " + stepsPerEpoch);
        }
        this.stepsPerEpoch = stepsPerEpoch;
        this.clock = clock;
        List<Trainable.OutputSpec> outputs = model.outputs();
        this.trainNames = new EpochMetrics(outputs, "");
        this.validation = options.validationData() == null ? null : options.validationData().alignedTo(model);
        this.valMetrics = validation == null ? null : new EpochMetrics(outputs, "val_");
        Map<String, MonitorMode> directions = new LinkedHashMap<>(trainNames.directions());
        if (valMetrics != null) {
            directions.putAll(valMetrics.directions());
        }
        PrintStream out = options.out();
        this.context = new TrainingContext(model, options.epochs(), stepsPerEpoch, options.resolvedVerbose(), out,
                directions);
        this.callbacks = new CallbackList(options.callbacks(), context);
        this.progress = new ProgressBar(options.resolvedVerbose(), out, clock);
    }

    /** Starts a run of {@code options.epochs()} epochs of {@code stepsPerEpoch} steps; calls {@code onTrainBegin}. */
    public static DrivenFit start(Trainable model, Fit options, int stepsPerEpoch) {
        DrivenFit run = new DrivenFit(model, options, stepsPerEpoch, System::nanoTime);
        run.callbacks.trainBegin();
        return run;
    }

    /**
     * The names of an epoch's training values, in the order the logs hold them, as {@code fit} names them: {@code loss};
     * each output's metrics in declaration order ({@code accuracy} with one output, {@code <output>_accuracy} with
     * several); then, when more than one output has a loss, each such output's unweighted {@code <output>_loss}.
     */
    public List<String> trainingLogNames() {
        return List.copyOf(new ArrayList<>(trainNames.directions().keySet()));
    }

    /** Whether a callback asked to stop (Keras's {@code stop_training}): end the epoch, then stop. */
    public boolean stopRequested() {
        return context.stopRequested();
    }

    /** Epoch {@code epoch} (from 0) begins: {@code onEpochBegin}, the progress display's epoch line. */
    public void epochBegin(int epoch) {
        callbacks.epochBegin(epoch);
        progress.epochBegin(epoch, options.epochs(), stepsPerEpoch);
        epochStart = clock.getAsLong();
    }

    /** Step {@code step} of the epoch (from 0) begins: {@code onBatchBegin}. */
    public void batchBegin(int step) {
        callbacks.batchBegin(step);
    }

    /** Step {@code step} ended with the epoch's running values so far: {@code onBatchEnd}, the progress bar. */
    public void batchEnd(int step, Map<String, Double> logs) {
        Map<String, Double> view = Collections.unmodifiableMap(new LinkedHashMap<>(logs));
        callbacks.batchEnd(step, view);
        progress.batchEnd(step + 1, view);
    }

    /**
     * Ends epoch {@code epoch}: validates on the driver when {@link Fit#validationData} was given, prints the epoch's
     * line, appends it to the History, calls {@code onEpochEnd} and writes the report when one was asked for.
     *
     * @param steps the steps run (fewer than planned when a callback stopped training)
     * @param trainLogs the epoch's training values, named by {@link #trainingLogNames()}
     * @param samples the training samples the epoch's steps used
     * @param trainSeconds the time spent in the steps
     * @return the epoch's logs, training and {@code val_} values
     */
    public Map<String, Double> epochEnd(int epoch, int steps, Map<String, Double> trainLogs, long samples,
                                        double trainSeconds) {
        Map<String, Double> logs = new LinkedHashMap<>(trainLogs);
        if (validation != null) {
            valMetrics.reset();
            var batches = validation.epoch(options.batchSize(), false, 0, 0);
            while (batches.hasNext()) {
                BatchSource.Batch batch = batches.next();
                valMetrics.update(model.testStep(batch.inputs(), batch.targets()), batch);
            }
            logs.putAll(valMetrics.logs());
        }
        double epochSeconds = (clock.getAsLong() - epochStart) / 1e9;
        double throughput = trainSeconds > 0 ? samples / trainSeconds : 0;
        lastLogs = Collections.unmodifiableMap(logs);
        progress.epochEnd(steps, lastLogs, epochSeconds, trainSeconds, throughput);
        history.append(epoch, lastLogs, epochSeconds, throughput);
        callbacks.epochEnd(epoch, lastLogs);
        if (options.report() != null) {
            RunReport.write(options.report(), model, history, null);
        }
        return lastLogs;
    }

    /** Ends the run ({@code onTrainEnd} with the last epoch's logs) and returns its History. */
    public History finish() {
        callbacks.trainEnd(lastLogs);
        return history;
    }

    /** The History so far. */
    public History history() {
        return history;
    }
}
