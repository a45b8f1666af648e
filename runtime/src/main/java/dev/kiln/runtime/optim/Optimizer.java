package dev.kiln.runtime.optim;

import java.nio.DoubleBuffer;
import java.nio.FloatBuffer;
import java.util.Arrays;
import java.util.Map;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/**
 * Base of Keras's optimizers, working on a model's weights as one flat buffer: {@code params} and {@code grads} are
 * contiguous vectors of equal length, made of the model's variables laid end to end (sizes given to {@link #build}),
 * so that a step is one pass over all weights at once.
 *
 * <p>CONTRACT (kept by every subclass; the generated models rely on it):
 * <ul>
 *   <li>{@code build(variableSizes, dtype)} is called once, by {@code compile}, before the first {@code apply};
 *   <li>{@code apply(params, grads)} performs one update in place on {@code params}; it may overwrite {@code grads}
 *       (clipping); it increments {@link #iterations()};
 *   <li>{@code learningRate()} / {@code setLearningRate} are read and written by callbacks (ReduceLROnPlateau);
 *   <li>{@code state()} / {@code loadState} round-trip every slot and the iteration count for save/load.
 * </ul>
 *
 * <p>A step is Keras 3's {@code BaseOptimizer.apply}: with {@code lr} the learning rate at {@code iterations} (the
 * number of steps applied before this one), the gradients are clipped ({@code clipnorm}, {@code global_clipnorm} or
 * {@code clipvalue}, see {@link Clipping}), decoupled weight decay {@code w -= w * weight_decay * lr} is applied when
 * {@code weight_decay} is set, the optimizer's own rule updates its slots and {@code w}, and {@code iterations += 1}.
 * Rules that correct for bias use Keras's {@code local_step = iterations + 1}.
 *
 * <p>Slots are flat buffers of the weights' length, in the dtype given to {@code build}, allocated once there. A step
 * is one fused Java loop over weights, gradients and slots (plus a pass for clipping, when set) that allocates nothing
 * and issues no ND4J op (see {@link FlatArray}). Hyper-parameters are fixed once the optimizer is built, except the
 * learning rate.
 */
public abstract class Optimizer {
    private final String name = getClass().getSimpleName();
    private double learningRate;
    private LearningRateSchedule schedule;
    private Double weightDecay;
    private Double clipnorm;
    private Double clipvalue;
    private Double globalClipnorm;
    private long iterations;
    private long[] variableSizes;
    private DataType dtype;
    private int length;
    private final Slots slots = new Slots(name);
    private FlatArray params;
    private FlatArray grads;

    Optimizer(double learningRate) {
        this.learningRate = Args.positive(name, "learningRate", learningRate);
    }

    Optimizer(LearningRateSchedule schedule) {
        if (schedule == null) {
            throw new IllegalArgumentException(name + ": the learning rate schedule is null");
        }
        this.schedule = schedule;
    }

    /** Allocates the slot buffers for {@code variableSizes} (laid end to end) in {@code dtype}; see the contract. */
    public final void build(long[] variableSizes, DataType dtype) {
        if (variableSizes == null) {
            throw new IllegalArgumentException(name + ".build: variableSizes is null");
        }
        if (dtype != DataType.FLOAT && dtype != DataType.DOUBLE) {
            throw new IllegalArgumentException(name + " runs in float32 or float64, got " + dtype);
        }
        long total = 0;
        for (int i = 0; i < variableSizes.length; i++) {
            if (variableSizes[i] < 0) {
                throw new IllegalArgumentException(name + ".build: variable " + i + " has size " + variableSizes[i]);
            }
            total += variableSizes[i];
        }
        if (total * dtype.width() > Integer.MAX_VALUE) {
            throw new IllegalArgumentException(name + " steps at most " + Integer.MAX_VALUE / dtype.width() + " "
                    + dtype + " weights, got " + total);
        }
        if (this.variableSizes != null) {
            if (Arrays.equals(this.variableSizes, variableSizes) && this.dtype == dtype) {
                return;
            }
            throw new IllegalStateException(name + " is already built for variables of sizes "
                    + Arrays.toString(this.variableSizes) + " in " + this.dtype + "; use a new optimizer for "
                    + Arrays.toString(variableSizes) + " in " + dtype);
        }
        this.variableSizes = variableSizes.clone();
        this.dtype = dtype;
        this.length = (int) total;
        if (length > 0) {
            createSlots();
        }
    }

    /** One step: clip {@code grads} in place, decay and update {@code params} in place, count the iteration. */
    public final void apply(INDArray params, INDArray grads) {
        if (variableSizes == null) {
            throw new IllegalStateException(name + " is not built: compile() must be called before training");
        }
        if (length == 0) {
            return;
        }
        FlatArray p = this.params = FlatArray.of(params, this.params, "params", dtype, length);
        FlatArray g = this.grads = FlatArray.of(grads, this.grads, "grads", dtype, length);
        double lr = learningRate();
        if (clipnorm != null) {
            Clipping.byNorm(g, variableSizes, clipnorm);
        } else if (globalClipnorm != null) {
            Clipping.byGlobalNorm(g, globalClipnorm);
        } else if (clipvalue != null) {
            Clipping.byValue(g, clipvalue);
        }
        double keep = weightDecay == null ? 1 : 1 - weightDecay * lr;
        if (p.floats != null) {
            updateFloat(p.floats, g.floats, lr, keep);
        } else {
            updateDouble(p.doubles, g.doubles, lr, keep);
        }
        iterations++;
    }

    /** Steps applied so far (Keras's {@code optimizer.iterations}). */
    public final long iterations() {
        return iterations;
    }

    /** The learning rate the next step uses: the constant, or the schedule at {@link #iterations()}. */
    public final double learningRate() {
        return schedule == null ? learningRate : schedule.at(iterations);
    }

    /** Makes the learning rate the constant {@code learningRate} (> 0), replacing any schedule. */
    public final void setLearningRate(double learningRate) {
        this.learningRate = Args.positive(name, "learningRate", learningRate);
        this.schedule = null;
    }

    /** Keras's name of the optimizer and its hyper-parameters, e.g. {@code Adam(learning_rate=0.001, ...)}. */
    public final String config() {
        ConfigText config = new ConfigText(name)
                .add("learning_rate", schedule == null ? ConfigText.python(learningRate) : schedule.config())
                .addOptional("weight_decay", weightDecay)
                .addOptional("clipnorm", clipnorm)
                .addOptional("global_clipnorm", globalClipnorm)
                .addOptional("clipvalue", clipvalue);
        describe(config);
        return config.toString();
    }

    /**
     * Keras's {@code optimizer.get_config()} as a dict: {@code name}, {@code learning_rate} (a number, or an
     * {@code ExponentialDecay}'s serialized dict), the clipping and weight decay arguments ({@code null} for None) and
     * the optimizer's own; {@link KerasOptimizers#fromConfig} reads it back.
     */
    public final Map<String, Object> kerasConfig() {
        ConfigText config = new ConfigText(name);
        if (schedule == null) {
            config.add("learning_rate", learningRate);
        } else if (schedule instanceof ExponentialDecay d) {
            config.add("learning_rate", d.config(), KerasOptimizers.serialized(d));
        } else {
            throw new IllegalStateException(name + "'s learning rate schedule " + schedule.config() + " has no Keras"
                    + " config; only ExponentialDecay is written");
        }
        config.addOptional("weight_decay", weightDecay).addOptional("clipnorm", clipnorm)
                .addOptional("global_clipnorm", globalClipnorm).addOptional("clipvalue", clipvalue);
        describe(config);
        Map<String, Object> out = new java.util.LinkedHashMap<>();
        out.put("name", name.toLowerCase(java.util.Locale.ROOT));
        out.putAll(config.values());
        return out;
    }

    /** This optimizer's Keras class name, {@code Adam}. */
    public final String kerasClassName() {
        return name;
    }

    /**
     * Every slot buffer by Keras's slot name ({@code momentum}, {@code velocity}, ...) plus {@code iterations} (a
     * long scalar); copies.
     */
    public final Map<String, INDArray> state() {
        Map<String, INDArray> state = slots.copies();
        state.put("iterations", Nd4j.scalar(iterations));
        return state;
    }

    /**
     * Restores what {@link #state()} returned (from this optimizer's kind and configuration, built for the same
     * weights); every slot must be there with its length, and nothing else. Arrays are copied in, converted to the
     * optimizer's dtype.
     */
    public final void loadState(Map<String, INDArray> state) {
        if (variableSizes == null) {
            throw new IllegalStateException(name + " is not built: compile() must be called before loading its state");
        }
        if (state == null) {
            throw new IllegalArgumentException(name + ".loadState: state is null");
        }
        INDArray steps = state.get("iterations");
        if (steps == null || steps.length() != 1 || steps.getDouble(0) < 0) {
            throw new IllegalArgumentException(name + " state needs 'iterations', a count >= 0, got " + steps);
        }
        slots.load(state, "iterations");
        iterations = steps.getLong(0);
    }

    final void setWeightDecay(double weightDecay) {
        checkConfigurable("weightDecay");
        this.weightDecay = Args.nonNegative(name, "weightDecay", weightDecay);
    }

    final void setClipnorm(double clipnorm) {
        checkOneClipping("clipnorm", this.clipnorm);
        this.clipnorm = Args.positive(name, "clipnorm", clipnorm);
    }

    final void setClipvalue(double clipvalue) {
        checkOneClipping("clipvalue", this.clipvalue);
        this.clipvalue = Args.positive(name, "clipvalue", clipvalue);
    }

    final void setGlobalClipnorm(double globalClipnorm) {
        checkOneClipping("globalClipnorm", this.globalClipnorm);
        this.globalClipnorm = Args.positive(name, "globalClipnorm", globalClipnorm);
    }

    private void checkOneClipping(String option, Double current) {
        checkConfigurable(option);
        int set = (clipnorm == null ? 0 : 1) + (clipvalue == null ? 0 : 1) + (globalClipnorm == null ? 0 : 1);
        if (set > (current == null ? 0 : 1)) {
            throw new IllegalArgumentException(name + ": only one of clipnorm, clipvalue and globalClipnorm can be set,"
                    + " got clipnorm=" + clipnorm + ", clipvalue=" + clipvalue + ", globalClipnorm=" + globalClipnorm
                    + " and now " + option);
        }
    }

    /** Throws once built: slots and the saved config follow the hyper-parameters given before {@code compile}. */
    final void checkConfigurable(String option) {
        if (variableSizes != null) {
            throw new IllegalStateException(name + " is already built by compile(): set " + option + " before that");
        }
    }

    final String name() {
        return name;
    }

    /** A new slot of the weights' length filled with {@code initialValue}, saved by {@link #state()} as {@code name}. */
    final FlatArray slot(String name, double initialValue) {
        return slots.add(name, dtype, length, initialValue, false);
    }

    /** As {@link #slot}, but a float32 slot is held in {@link FlatArray#chunks} (a float64 one as usual). */
    final FlatArray chunkedSlot(String name) {
        return slots.add(name, dtype, length, 0, true);
    }

    /** A one-element slot, for state that is a single number (Nadam's momentum-schedule product). */
    final FlatArray scalarSlot(String name, double initialValue) {
        return slots.add(name, dtype, 1, initialValue, false);
    }

    /** Creates the rule's slots with {@link #slot}; called once by {@link #build} (never for zero weights). */
    abstract void createSlots();

    /** The rule's hyper-parameters, after the base ones, in Keras's {@code get_config} order. */
    abstract void describe(ConfigText config);

    /**
     * The rule on float32 memory: update the slots and set {@code param[i] = param[i] * keep - update[i]}, where
     * {@code keep = 1 - weight_decay * lr} folds in the weight decay; {@code grad} is already clipped.
     */
    abstract void updateFloat(FloatBuffer param, FloatBuffer grad, double lr, double keep);

    /** The rule on float64 memory, as {@link #updateFloat}. */
    abstract void updateDouble(DoubleBuffer param, DoubleBuffer grad, double lr, double keep);
}
