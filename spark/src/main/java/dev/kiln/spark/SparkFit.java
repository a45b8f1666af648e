package dev.kiln.spark;

import dev.kiln.runtime.optim.Optimizer;
import dev.kiln.runtime.train.Fit;
import java.io.Serializable;
import java.util.Objects;

/**
 * How {@link KilnSpark#fit} trains: the {@link Fit} options of a single-machine {@code fit} (epochs, batch size,
 * shuffle, seed, callbacks, verbosity, validation data, report) and the synchronisation mode.
 *
 * <ul>
 *   <li>{@link #synchronousGradients}: one round per step. Every partition computes the gradient of its share of the
 *       global batch of {@code fit.batchSize()} samples from the broadcast weights; Spark sums them
 *       ({@code treeAggregate}), each weighted by its samples; the driver applies its optimizer. This is single-machine
 *       training on global batches made of the partitions' shares.
 *   <li>{@link #parameterAveraging}: one round per {@code every} local steps. Every partition starts from the broadcast
 *       weights and optimizer state, takes {@code every} steps of {@code fit.batchSize()} samples of its own with its
 *       own optimizer, and the driver averages the weights and the optimizer's slots, each partition weighted by the
 *       samples it used (Deeplearning4j's {@code ParameterAveragingTrainingMaster}).
 * </ul>
 *
 * <p>Layers whose training step depends on more than the weights and the batch: BatchNormalization normalises each
 * partition's share by the share's own statistics (as Keras's {@code MirroredStrategy} without
 * {@code SyncBatchNormalization}), so with it synchronous gradients are not single-machine training on the global batch;
 * the moving statistics are averaged by samples, in both modes. Dropout masks, those of a layer with a seed of its own
 * included, are drawn from (seed, round, partition). Variables frozen on the driver with {@code setTrainable} stay
 * frozen in both modes. A model with an open axis ({@code Input.NONE}) is refused: a column holds fixed lengths.
 */
public final class SparkFit {

    /** Makes the optimizer of an executor's model; serializable, as Spark ships it: {@code () -> new Adam(1e-3)}. */
    @FunctionalInterface
    public interface OptimizerFactory extends Serializable {
        Optimizer create();
    }

    /** The two ways to synchronise workers. */
    public enum Mode { SYNCHRONOUS_GRADIENTS, PARAMETER_AVERAGING }

    private final Fit fit;
    private final Mode mode;
    private final int every;
    private final OptimizerFactory optimizer;
    private int partitions;
    private int treeDepth = 2;

    private SparkFit(Fit fit, Mode mode, int every, OptimizerFactory optimizer) {
        this.fit = Objects.requireNonNull(fit, "fit");
        if (fit.validationSplit() > 0 && fit.validationData() == null) {
            throw new IllegalArgumentException("validationSplit is not supported on Spark: split the Dataset first"
                    + " (Dataset.randomSplit) and give the validation part as Fit.validationData (a local data set,"
                    + " evaluated on the driver)");
        }
        this.mode = mode;
        this.every = every;
        this.optimizer = optimizer;
    }

    /** Synchronous gradients: each step's global batch of {@code fit.batchSize()} samples is shared by the partitions. */
    public static SparkFit synchronousGradients(Fit fit) {
        return new SparkFit(fit, Mode.SYNCHRONOUS_GRADIENTS, 1, null);
    }

    /**
     * Parameter averaging after every {@code every} local steps of {@code fit.batchSize()} samples per partition. The
     * executors' models are compiled with {@code optimizer}, which must make an optimizer configured as the driver
     * model's (or the driver model is compiled with it when it is not compiled yet).
     */
    public static SparkFit parameterAveraging(Fit fit, int every, OptimizerFactory optimizer) {
        if (every < 1) {
            throw new IllegalArgumentException("parameter averaging needs at least 1 local step between averages, got "
                    + every);
        }
        return new SparkFit(fit, Mode.PARAMETER_AVERAGING, every, Objects.requireNonNull(optimizer, "optimizer"));
    }

    /** Repartitions the data into {@code partitions} partitions (workers) first; 0, the default, keeps the Dataset's. */
    public SparkFit partitions(int partitions) {
        if (partitions < 0) {
            throw new IllegalArgumentException("partitions must be 0 (keep the Dataset's) or more, got " + partitions);
        }
        this.partitions = partitions;
        return this;
    }

    /** The depth of {@code treeAggregate}'s reduction tree; default 2. */
    public SparkFit treeDepth(int depth) {
        if (depth < 1) {
            throw new IllegalArgumentException("treeDepth must be at least 1, got " + depth);
        }
        this.treeDepth = depth;
        return this;
    }

    public Fit fit() {
        return fit;
    }

    public Mode mode() {
        return mode;
    }

    /** Local steps between two averages (1 for synchronous gradients). */
    public int every() {
        return every;
    }

    public OptimizerFactory optimizer() {
        return optimizer;
    }

    public int partitions() {
        return partitions;
    }

    public int treeDepth() {
        return treeDepth;
    }
}
