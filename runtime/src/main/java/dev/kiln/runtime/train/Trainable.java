package dev.kiln.runtime.train;

import dev.kiln.dsl.Loss;
import dev.kiln.dsl.Metric;
import dev.kiln.dsl.Reduction;
import dev.kiln.runtime.optim.Optimizer;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * What the training loop ({@link Trainer}) drives: a compiled model seen through arrays ordered as its inputs and
 * outputs. Every generated model is one (through {@code dev.kiln.runtime.KilnModel}); tests drive the loop with small
 * hand-written ones.
 */
public interface Trainable {

    /**
     * One model output as the training loop sees it: its node name, loss (maybe {@link Loss#NONE}), metrics, and how
     * its loss is taken and reduced.
     */
    record OutputSpec(String name, Loss loss, double lossWeight, List<Metric> metrics, boolean fromLogits,
            double huberDelta, Reduction reduction) {
        public OutputSpec {
            metrics = List.copyOf(metrics);
            Objects.requireNonNull(reduction, "reduction");
        }

        /** With Keras's default reduction, the mean over the samples. */
        public OutputSpec(String name, Loss loss, double lossWeight, List<Metric> metrics, boolean fromLogits,
                double huberDelta) {
            this(name, loss, lossWeight, metrics, fromLogits, huberDelta, Reduction.SUM_OVER_BATCH_SIZE);
        }

        /** With Keras's Huber delta, 1.0. */
        public OutputSpec(String name, Loss loss, double lossWeight, List<Metric> metrics, boolean fromLogits) {
            this(name, loss, lossWeight, metrics, fromLogits, 1.0);
        }

        /** This output with its loss reduced by {@code r}. */
        public OutputSpec withReduction(Reduction r) {
            return new OutputSpec(name, loss, lossWeight, metrics, fromLogits, huberDelta, r);
        }

        /** An output whose values are the loss's own kind (probabilities for a cross-entropy). */
        public OutputSpec(String name, Loss loss, double lossWeight, List<Metric> metrics) {
            this(name, loss, lossWeight, metrics, false);
        }
    }

    /**
     * The result of one step. {@code outputLosses[i]} is output i's unweighted loss (NaN where it has none);
     * {@code loss} is their weighted sum. {@code predictions} are the model's own buffers, valid until its next call.
     */
    record StepResult(double loss, double[] outputLosses, INDArray[] predictions) {
    }

    /** Input node names, in the order {@link #trainStep} takes them. */
    List<String> inputNames();

    /** Outputs, in the order {@link #trainStep} takes targets and returns predictions. */
    List<OutputSpec> outputs();

    /**
     * One optimizer step on one batch; throws {@link IllegalStateException} when the model is not compiled. A model
     * may refuse a step whose loss is not finite (returning that loss, the weights unchanged) or whose gradients are
     * not finite (throwing {@link ArithmeticException}); {@link Trainer#fit} reports either with the epoch and batch.
     */
    StepResult trainStep(INDArray[] inputs, INDArray[] targets);

    /** Loss and predictions on one batch, in inference mode, changing nothing. */
    StepResult testStep(INDArray[] inputs, INDArray[] targets);

    /**
     * Predictions on one batch, in inference mode; the arrays are the model's buffers, valid until its next call (a
     * generated model keeps a set of buffers per thread, so it may be called from many threads at once).
     */
    INDArray[] predictBatch(INDArray[] inputs);

    /** The optimizer given to {@code compile}, or null before. */
    Optimizer optimizer();

    /** Copies of all weights keyed by Keras variable names ({@code node/kernel}, ...). */
    Map<String, INDArray> getWeights();

    /** Overwrites weights (same names and shapes as {@link #getWeights}). */
    void setWeights(Map<String, INDArray> weights);

    /** Saves weights, optimizer state and the model's identity, atomically. */
    void save(Path file);

    /** The model interface's qualified name (its diagram is the resource {@code META-INF/kiln/<name>.svg}), or null. */
    default String modelClass() {
        return null;
    }

    /** Keras's summary table of the model, or an empty string. */
    default String summary() {
        return "";
    }
}
