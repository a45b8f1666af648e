package dev.kiln.spark;

import dev.kiln.dsl.Loss;
import dev.kiln.dsl.Metric;
import dev.kiln.runtime.metric.Metrics;
import dev.kiln.runtime.metric.RunningMetric;
import dev.kiln.runtime.train.Trainable.OutputSpec;
import dev.kiln.runtime.train.Trainable.StepResult;
import java.util.List;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.indexing.INDArrayIndex;
import org.nd4j.linalg.indexing.NDArrayIndex;

/**
 * A step's training values on an executor, each times the step's samples so that partitions add up: the loss, each
 * output's metrics (in declaration order), then each output's loss when more than one output has one — the order of
 * {@code DrivenFit.trainingLogNames()}, which names them on the driver. A metric's value is its mean over the step's
 * batch, so the driver's epoch value is the mean weighted by samples, as {@code fit}'s running metrics are when every
 * sample counts the same number of values (fixed output shapes, which Kiln on Spark requires).
 */
final class Tally {

    private Tally() {
    }

    /** How many values a step's tally has. */
    static int size(List<OutputSpec> outputs) {
        int n = 1;
        int withLoss = 0;
        for (OutputSpec o : outputs) {
            n += o.metrics().size();
            withLoss += o.loss() == Loss.NONE ? 0 : 1;
        }
        return withLoss > 1 ? n + withLoss : n;
    }

    /** Adds step {@code result} on {@code n} samples with {@code targets} into {@code sums}. */
    static void add(double[] sums, List<OutputSpec> outputs, StepResult result, INDArray[] targets, int n) {
        int k = 0;
        sums[k++] += result.loss() * n;
        int withLoss = 0;
        for (int o = 0; o < outputs.size(); o++) {
            OutputSpec spec = outputs.get(o);
            withLoss += spec.loss() == Loss.NONE ? 0 : 1;
            INDArray yPred = rows(result.predictions()[o], n);
            for (Metric kind : spec.metrics()) {
                RunningMetric metric = Metrics.create(kind, spec.loss(), spec.fromLogits(), yPred.shape(),
                        targets[o].shape());
                metric.update(yPred, targets[o]);
                sums[k++] += metric.result() * n;
            }
        }
        if (withLoss > 1) {
            for (int o = 0; o < outputs.size(); o++) {
                if (outputs.get(o).loss() != Loss.NONE) {
                    sums[k++] += result.outputLosses()[o] * n;
                }
            }
        }
    }

    /** The first {@code n} rows of a model's output buffer (which may be larger than the batch). */
    private static INDArray rows(INDArray prediction, int n) {
        if (prediction.size(0) == n) {
            return prediction;
        }
        INDArrayIndex[] index = new INDArrayIndex[prediction.rank()];
        index[0] = NDArrayIndex.interval(0, n);
        for (int d = 1; d < index.length; d++) {
            index[d] = NDArrayIndex.all();
        }
        return prediction.get(index);
    }
}
