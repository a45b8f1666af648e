package dev.kiln.runtime.train;

import dev.kiln.dsl.Loss;
import dev.kiln.dsl.Metric;
import dev.kiln.runtime.metric.Metrics;
import dev.kiln.runtime.metric.RunningMetric;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.indexing.INDArrayIndex;
import org.nd4j.linalg.indexing.NDArrayIndex;

/**
 * The running values of one pass (a training epoch, a validation, an evaluation), named as Keras 3 logs them:
 * {@code loss}; then each output's metrics ({@code accuracy} with one output, {@code <output>_accuracy} with
 * several; a repeated name gets {@code _1}, {@code _2}); then, when more than one output has a loss, each one's
 * unweighted loss {@code <output>_loss}. Losses are means weighted by batch size, as Keras's {@code Mean} trackers.
 */
final class EpochMetrics {

    /** One metric of one output; the metric object is made on the first batch, when shapes are known. */
    private static final class Slot {
        final int output;
        final Metric kind;
        final String logName;
        RunningMetric metric;

        Slot(int output, Metric kind, String logName) {
            this.output = output;
            this.kind = kind;
            this.logName = logName;
        }
    }

    private final List<Trainable.OutputSpec> outputs;
    private final String prefix;
    private final List<Slot> slots = new ArrayList<>();
    private final int[] lossOutputs;          // the outputs that have a loss
    private final boolean logOutputLosses;
    private final Map<String, MonitorMode> directions = new LinkedHashMap<>();
    private double lossSum;
    private double lossCount;
    private final double[] outputLossSums;

    EpochMetrics(List<Trainable.OutputSpec> outputs, String prefix) {
        this.outputs = List.copyOf(outputs);
        this.prefix = prefix;
        directions.put(prefix + "loss", MonitorMode.MIN);
        Map<String, Integer> seen = new HashMap<>();
        for (int o = 0; o < outputs.size(); o++) {
            Trainable.OutputSpec spec = outputs.get(o);
            for (Metric kind : spec.metrics()) {
                String base = Metrics.kerasName(kind);
                String name = outputs.size() > 1 ? spec.name() + "_" + base : base;
                int count = seen.merge(name, 1, Integer::sum);
                if (count > 1) {
                    name = name + "_" + (count - 1);
                }
                slots.add(new Slot(o, kind, name));
                directions.put(prefix + name, Metrics.higherIsBetter(kind) ? MonitorMode.MAX : MonitorMode.MIN);
            }
        }
        List<Integer> withLoss = new ArrayList<>();
        for (int o = 0; o < outputs.size(); o++) {
            if (outputs.get(o).loss() != Loss.NONE) {
                withLoss.add(o);
            }
        }
        lossOutputs = withLoss.stream().mapToInt(Integer::intValue).toArray();
        outputLossSums = new double[lossOutputs.length];
        logOutputLosses = lossOutputs.length > 1;   // Keras logs them only when more than one output has a loss
        if (logOutputLosses) {
            for (int o : lossOutputs) {
                directions.put(prefix + outputs.get(o).name() + "_loss", MonitorMode.MIN);
            }
        }
    }

    /** Every log name, in order, each with whether it should go down or up. */
    Map<String, MonitorMode> directions() {
        return Collections.unmodifiableMap(directions);
    }

    void reset() {
        lossSum = 0;
        lossCount = 0;
        Arrays.fill(outputLossSums, 0);
        for (Slot slot : slots) {
            if (slot.metric != null) {
                slot.metric.reset();
            }
        }
    }

    /** Folds in one step's losses and predictions against the batch's targets. */
    void update(Trainable.StepResult step, BatchSource.Batch batch) {
        if (batch.targets().length != outputs.size()) {
            throw new IllegalArgumentException("the data has " + batch.targets().length + " target arrays, but the"
                    + " model has " + outputs.size() + " outputs " + outputNames()
                    + "; give one target per output, in the outputs' order");
        }
        int n = batch.size();
        lossSum += step.loss() * n;
        lossCount += n;
        double[] perOutput = step.outputLosses();
        for (int i = 0; i < lossOutputs.length; i++) {
            outputLossSums[i] += perOutput[lossOutputs[i]] * n;
        }
        for (Slot slot : slots) {
            INDArray yPred = rows(step.predictions()[slot.output], n);
            INDArray yTrue = batch.targets()[slot.output];
            if (slot.metric == null) {
                Trainable.OutputSpec o = outputs.get(slot.output);
                slot.metric = Metrics.create(slot.kind, o.loss(), o.fromLogits(), yPred.shape(), yTrue.shape());
            }
            try {
                slot.metric.update(yPred, yTrue);
            } catch (IllegalArgumentException e) {
                throw new IllegalArgumentException("output '" + outputs.get(slot.output).name() + "': "
                        + e.getMessage(), e);
            }
        }
    }

    /** The running values so far, by log name, in order. */
    Map<String, Double> logs() {
        Map<String, Double> logs = new LinkedHashMap<>();
        logs.put(prefix + "loss", lossCount == 0 ? 0.0 : lossSum / lossCount);
        for (Slot slot : slots) {
            logs.put(prefix + slot.logName, slot.metric == null ? 0.0 : slot.metric.result());
        }
        if (logOutputLosses) {
            outputLosses().forEach((output, v) -> logs.put(prefix + output + "_loss", v));
        }
        return Collections.unmodifiableMap(logs);
    }

    /** Each output's unweighted running loss by output name, for the outputs that have a loss. */
    Map<String, Double> outputLosses() {
        Map<String, Double> losses = new LinkedHashMap<>();
        for (int i = 0; i < lossOutputs.length; i++) {
            losses.put(outputs.get(lossOutputs[i]).name(), lossCount == 0 ? 0.0 : outputLossSums[i] / lossCount);
        }
        return losses;
    }

    private List<String> outputNames() {
        return outputs.stream().map(Trainable.OutputSpec::name).collect(Collectors.toList());
    }

    /** The first {@code n} rows of a prediction, for a model whose buffers are larger than a short last batch. */
    static INDArray rows(INDArray prediction, int n) {
        if (prediction.size(0) == n) {
            return prediction;
        }
        if (prediction.size(0) < n) {
            throw new IllegalStateException("the model returned " + prediction.size(0) + " prediction rows for a batch"
                    + " of " + n + " samples; a Trainable must predict one row per sample");
        }
        INDArrayIndex[] index = new INDArrayIndex[prediction.rank()];
        index[0] = NDArrayIndex.interval(0, n);
        for (int d = 1; d < index.length; d++) {
            index[d] = NDArrayIndex.all();
        }
        return prediction.get(index);
    }
}
