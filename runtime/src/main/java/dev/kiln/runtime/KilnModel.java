package dev.kiln.runtime;

import dev.kiln.dsl.DType;
import dev.kiln.dsl.Loss;
import dev.kiln.dsl.summary.SummaryTable;
import dev.kiln.runtime.ModelSpec.InputSpec;
import dev.kiln.runtime.ModelSpec.Output;
import dev.kiln.runtime.ModelSpec.VariableSpec;
import dev.kiln.runtime.loss.Losses;
import dev.kiln.runtime.optim.Optimizer;
import dev.kiln.runtime.train.Trainable;
import dev.kiln.runtime.train.Trainable.OutputSpec;
import dev.kiln.runtime.data.Dataset;
import dev.kiln.runtime.io.Checkpoint;
import dev.kiln.runtime.io.CheckpointFile;
import dev.kiln.runtime.io.CheckpointFileException;
import dev.kiln.runtime.io.LoadOption;
import dev.kiln.runtime.kernel.Finite;
import dev.kiln.runtime.train.Evaluation;
import dev.kiln.runtime.train.Fit;
import dev.kiln.runtime.train.History;
import dev.kiln.runtime.train.Trainer;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.util.function.Function;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.WeakHashMap;
import java.util.concurrent.locks.ReentrantReadWriteLock;
import java.util.stream.Collectors;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.indexing.NDArrayIndex;

/**
 * The base of every generated model. The generated subclass holds the straight-line forward and backward code of one
 * model graph; everything general — memory, shape checks, losses, the optimizer step, weights by name, training, I/O —
 * lives here once.
 *
 * <p>Subclasses implement five hooks: {@link #bindWeights} (point weight fields at the flat buffers),
 * {@link #bindBuffers} (point activation fields at buffers sized for a batch), {@link #forward}, {@link #backward}, and
 * {@link #sharingWeights} (a twin over the same weights with activation buffers of its own).
 *
 * <h2>Threads</h2>
 *
 * <p>One instance may be shared by any number of threads:
 * <ul>
 *   <li>{@code predict} (every form), {@code evaluate}, {@code getWeights}, {@code save} and {@code summary} run
 *       concurrently. Each thread's predicts run in its own twin of the generated code, with activation buffers of
 *       its own (made at the thread's first predict, so a warm predict allocates no model memory), over the one copy
 *       of the weights; the result is the same bits as on one thread.
 *   <li>Training ({@code trainOnBatch}, each step of {@code fit}) and the other calls that change the model
 *       ({@code setWeights}, {@code compile}, {@code setTrainable}, {@code reseed}) are exclusive: one step at a time,
 *       never overlapping a predict. A predict that arrives during a step waits for it (about a step's time), so it
 *       sees the weights before or after that step, never a mixture. {@code evaluate} and {@code predict} over a
 *       {@link Dataset} hold the weights still for their whole pass.
 *   <li>While {@code fit} runs, calls from other threads that would change the model throw
 *       {@link IllegalStateException} naming the training thread; predicts go on, between steps. Callbacks run in the
 *       training thread and may change the model.
 * </ul>
 * Separate instances share nothing mutable, and two instances training in two threads each get their share of Kiln's
 * compute threads.
 */
public abstract class KilnModel implements Trainable {
    private final ModelSpec spec;
    private final DataType dtype;
    private final Parameters parameters;
    private final int bufferSlots;
    private final BufferPool buffers;
    private final List<OutputSpec> outputSpecs;
    private final BatchCheck check;
    private long[] boundDims;
    private Optimizer optimizer;
    private boolean training;
    private String savedOptimizerConfig;
    private Map<String, INDArray> savedOptimizerState;
    private Path savedFrom;
    /** Source of dropout masks. */
    protected SplittableRandom random;
    /** The mask generators of layers with a seed of their own ({@code @Dropout(seed = ...)}), by seed. */
    private final Map<Long, SplittableRandom> seededRandoms = new HashMap<>();
    /** The model's outputs after {@link #forward}, set by the generated code. */
    protected final INDArray[] outputs;
    /** Where the loss writes each output's gradient, set by {@link #bindBuffers}; {@link #backward} reads it. */
    protected final INDArray[] outputGradients;
    /**
     * A fused softmax/sigmoid output's logits after {@link #forward}, set by the generated code (null for the other
     * outputs): the loss is taken from them, stably and unclipped, as from {@code from_logits=True}.
     */
    protected final INDArray[] outputLogits;
    /**
     * Where {@link #backwardToInputs} writes each input's gradient, set by {@link #bindBuffers}; null for an integer
     * input (ids have no gradient).
     */
    protected final INDArray[] inputGradients;
    /** The twin that serves {@link #predictNodes}, its buffers kept apart; made at the first call. */
    private KilnModel extractor;
    /** Forward passes run on this model's own buffers; a {@link Tape} checks that its pass is still the last one. */
    private long passes;
    /** Predicts and evaluations share it; a training step or another change of the model holds it alone. */
    private final ReentrantReadWriteLock lock;
    /**
     * The twins over these weights that serve predicts, one per thread that has predicted, kept while the thread
     * lives: a thread's predictions stay valid in its twin's buffers until its next predict.
     */
    private final Map<Thread, KilnModel> twins;
    /** The thread inside {@link #fit}, or null: other threads may not change the model meanwhile. */
    private volatile Thread fitting;
    /** The inputs of the pass being run, as {@link #bind} made them; set only during a pass. */
    private INDArray[] inputsBound;

    protected KilnModel(ModelSpec spec, int bufferSlots, long seed, DataType dtype) {
        if (dtype != DataType.FLOAT && dtype != DataType.DOUBLE) {
            throw new IllegalArgumentException("models run in float32 or float64, not " + dtype);
        }
        this.spec = spec;
        this.dtype = dtype;
        SplittableRandom seeds = new SplittableRandom(seed);
        this.parameters = new Parameters(spec.variables(), dtype, seeds.split());
        parameters.initializeLayers(spec.nodes());
        this.random = seeds.split();
        this.bufferSlots = bufferSlots;
        this.buffers = new BufferPool(bufferSlots, dtype);
        this.outputSpecs = spec.outputs().stream().map(Output::spec).collect(Collectors.toUnmodifiableList());
        this.check = new BatchCheck(spec, dtype, outputSpecs);
        this.outputs = new INDArray[spec.outputs().size()];
        this.outputGradients = new INDArray[spec.outputs().size()];
        this.outputLogits = new INDArray[spec.outputs().size()];
        this.inputGradients = new INDArray[spec.inputs().size()];
        this.lock = new ReentrantReadWriteLock();
        this.twins = Collections.synchronizedMap(new WeakHashMap<>());
    }

    /**
     * A twin of {@code shared} for {@link #sharingWeights}: the same weights (not a copy), activation buffers of its
     * own. It only ever runs inference, for one thread at a time, under {@code shared}'s lock.
     */
    protected KilnModel(KilnModel shared) {
        this.spec = shared.spec;
        this.dtype = shared.dtype;
        this.parameters = shared.parameters.sharedViews();
        this.random = new SplittableRandom(0); // inference draws no masks
        this.bufferSlots = shared.bufferSlots;
        this.buffers = new BufferPool(bufferSlots, dtype);
        this.outputSpecs = shared.outputSpecs;
        this.check = shared.check;
        this.outputs = new INDArray[shared.outputs.length];
        this.outputGradients = new INDArray[shared.outputGradients.length];
        this.outputLogits = new INDArray[shared.outputLogits.length];
        this.inputGradients = new INDArray[shared.inputGradients.length];
        this.lock = shared.lock;
        this.twins = shared.twins;
    }

    /**
     * A model on the weights of {@code owner}'s node {@code node}, which nests it ({@code @Nested}): its parameters are
     * views of {@code owner}'s, and it takes {@code owner}'s lock, so that neither reads weights the other is writing.
     */
    protected KilnModel(ModelSpec spec, int bufferSlots, KilnModel owner, String node) {
        requireArgument(owner, spec.modelName() + "Model.on", "owner");
        requireArgument(node, spec.modelName() + "Model.on", "node");
        boolean nests = owner.spec.nested().stream()
                .anyMatch(n -> n.name().equals(node) && n.modelName().equals(spec.modelClass()));
        if (!nests) {
            List<String> nodes = owner.spec.nested().stream()
                    .filter(n -> n.modelName().equals(spec.modelClass())).map(SummaryTable.Nested::name).toList();
            throw new IllegalArgumentException(owner.spec.modelName() + " has no node '" + node + "' that applies "
                    + spec.modelName() + (nodes.isEmpty() ? " (none of its nodes nests it)" : "; nodes that do: "
                    + nodes));
        }
        this.spec = spec;
        this.dtype = owner.dtype;
        this.parameters = owner.parameters.borrowedBy(spec.variables(), node + "/", spec.modelName(),
                owner.spec.modelName());
        this.random = new SplittableRandom(node.hashCode());
        this.bufferSlots = bufferSlots;
        this.buffers = new BufferPool(bufferSlots, dtype);
        this.outputSpecs = spec.outputs().stream().map(Output::spec).collect(Collectors.toUnmodifiableList());
        this.check = new BatchCheck(spec, dtype, outputSpecs);
        this.outputs = new INDArray[spec.outputs().size()];
        this.outputGradients = new INDArray[spec.outputs().size()];
        this.outputLogits = new INDArray[spec.outputs().size()];
        this.inputGradients = new INDArray[spec.inputs().size()];
        this.lock = owner.lock;
        this.twins = Collections.synchronizedMap(new WeakHashMap<>());
    }

    // ---- hooks for the generated code

    /** Points the weight and gradient fields at their views of the flat buffers. */
    protected abstract void bindWeights();

    /**
     * Points the activation and gradient fields at buffers for these dimensions: {@code dims[0]} is the batch size,
     * {@code dims[k]} the run-time length of the k-th open ({@code NONE}) input axis.
     */
    protected abstract void bindBuffers(long[] dims);

    /** Runs the graph on {@code inputs}, ordered as the spec's inputs, leaving results in {@link #outputs}. */
    protected abstract void forward(INDArray[] inputs, boolean training);

    /** Back-propagates {@link #outputGradients} into the weight gradients. */
    protected abstract void backward();

    /**
     * Reverse pass of a {@link Tape}: from the output gradients to every weight's and every float input's gradient,
     * where {@link #backward} stops once no trainable weight lies behind.
     */
    protected abstract void backwardToInputs();

    /** The value {@code node} holds after a forward pass, or null for a name that is not a computed node. */
    protected abstract INDArray nodeValue(String node);

    /** Points the buffers only {@link #backwardToInputs} uses at the batch's dimensions; a tape calls it. */
    protected abstract void bindTapeBuffers(long[] dims);

    /** {@code new GeneratedModel(this)}: a twin over this model's weights, see {@link #KilnModel(KilnModel)}. */
    protected abstract KilnModel sharingWeights();

    /** Whether the last forward pass ran in training mode (dropout on); the backward pass follows it. */
    protected final boolean training() {
        return training;
    }

    /** Variable {@code i}'s weights (a view into the flat buffer). */
    protected final INDArray weight(int i) {
        return parameters.value(i);
    }

    /** Variable {@code i}'s gradient (a view into the flat gradient buffer). */
    protected final INDArray gradient(int i) {
        return parameters.gradient(i);
    }

    /** Plan slot {@code slot} as an array of {@code shape}. */
    protected final INDArray buffer(int slot, long... shape) {
        return buffers.view(slot, shape);
    }

    // ---- public surface

    /** The model as data: inputs, nodes, variables, outputs. */
    public final ModelSpec spec() {
        return spec;
    }

    /** float32 (the default) or float64. */
    public final DataType dataType() {
        return dtype;
    }

    /**
     * Chooses the optimizer; losses and metrics come from the model's {@code @Output}s. After {@code load}, an
     * optimizer configured as the saved one takes over its state (moments, step count); another starts fresh.
     */
    public void compile(Optimizer optimizer) {
        if (optimizer == null) {
            throw new IllegalArgumentException("compile needs an optimizer, e.g. new Adam(1e-3)");
        }
        lockToChange("compile");
        try {
            optimizer.build(parameters.trainableSizes(), dtype);
            if (savedOptimizerConfig != null && savedOptimizerConfig.equals(optimizer.config())) {
                try {
                    optimizer.loadState(savedOptimizerState); // resume a loaded model's training exactly
                } catch (IllegalArgumentException e) {
                    throw new IllegalArgumentException("the optimizer state saved in " + savedFrom + " does not fit "
                            + optimizer.config() + ": " + e.getMessage(), e);
                }
            }
            savedOptimizerConfig = null;
            savedOptimizerState = null;
            savedFrom = null;
            this.optimizer = optimizer;
        } finally {
            lock.writeLock().unlock();
        }
    }

    @Override
    public final Optimizer optimizer() {
        return optimizer;
    }

    @Override
    public final List<String> inputNames() {
        return spec.inputs().stream().map(InputSpec::name).collect(Collectors.toUnmodifiableList());
    }

    @Override
    public final List<OutputSpec> outputs() {
        return outputSpecs;
    }

    /**
     * One optimizer step on one batch, inputs and targets keyed by node name; returns the loss before the step. When
     * the loss or a gradient is not finite the step is not applied (weights and optimizer state stay as they were)
     * and the exception names the input or target, sample and value to blame.
     */
    public double trainOnBatch(Map<String, INDArray> inputs, Map<String, INDArray> targets) {
        List<String> outputNames = outputSpecs.stream().map(OutputSpec::name).collect(Collectors.toList());
        return trainArrays(byName(inputs, inputNames(), "input"), byName(targets, outputNames, "target"));
    }

    /**
     * Keras's {@code fit}: epochs of mini-batches with a progress bar, validation and callbacks. Other threads may
     * predict meanwhile; one that tries to change the model gets an {@link IllegalStateException}.
     */
    public History fit(Dataset data, Fit options) {
        requireArgument(data, "fit", "data");
        requireArgument(options, "fit", "options");
        checkClassIds(data);
        Thread outer; // a fit called from a callback of fit runs in the same thread
        lockToChange("fit");
        try {
            outer = fitting;
            fitting = Thread.currentThread();
        } finally {
            lock.writeLock().unlock();
        }
        try {
            return new Trainer().fit(this, data.source(), options);
        } finally {
            fitting = outer;
        }
    }

    /** Keras's {@code evaluate}: loss and metrics over {@code data} in batches of 32, in inference mode. */
    public Evaluation evaluate(Dataset data) {
        return evaluate(data, 32);
    }

    /** Keras's {@code evaluate} in batches of {@code batchSize}; the weights hold still for the whole pass. */
    public Evaluation evaluate(Dataset data, int batchSize) {
        requireArgument(data, "evaluate", "data");
        requireBatchSize(batchSize, "evaluate");
        checkClassIds(data);
        lock.readLock().lock();
        try {
            return new Trainer().evaluate(this, data.source(), batchSize);
        } finally {
            lock.readLock().unlock();
        }
    }

    /**
     * Predictions for every sample of {@code data}, in batches of {@code batchSize}, keyed by output name; the weights
     * hold still for the whole pass.
     */
    public Map<String, INDArray> predict(Dataset data, int batchSize) {
        requireArgument(data, "predict", "data");
        requireBatchSize(batchSize, "predict");
        INDArray[] all;
        lock.readLock().lock();
        try {
            all = new Trainer().predict(this, data.source(), batchSize);
        } finally {
            lock.readLock().unlock();
        }
        Map<String, INDArray> out = new LinkedHashMap<>();
        for (int i = 0; i < all.length; i++) {
            out.put(outputSpecs.get(i).name(), all[i]);
        }
        return out;
    }

    /**
     * Saves the weights, the optimizer's configuration and state, and the model's identity (its interface and a hash
     * of its architecture) to {@code file}. The write is atomic: a failure, a crash or a kill midway leaves the previous
     * file whole, and the next save to {@code file} removes the temporary file a killed one left
     * ({@link CheckpointFile} says exactly what is guaranteed).
     */
    @Override
    public void save(Path file) {
        requireArgument(file, "save", "file");
        Map<String, String> metadata = new LinkedHashMap<>();
        metadata.put("dtype", dtype.name());
        Checkpoint checkpoint;
        lock.readLock().lock();
        try {
            checkpoint = new Checkpoint(spec.modelClass(), spec.architectureHash(), getWeights(),
                    optimizer == null ? null : optimizer.config(), optimizer == null ? Map.of() : optimizer.state(),
                    metadata);
        } finally {
            lock.readLock().unlock();
        }
        try {
            CheckpointFile.write(file, checkpoint);
        } catch (IOException e) {
            throw new UncheckedIOException("could not save " + spec.modelName() + " to " + file + ": "
                    + (e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage()), e);
        }
    }

    /**
     * A model read from {@code file}, made by {@code factory} in the file's data type. Its optimizer state waits for
     * {@link #compile}: compiling with an optimizer of the saved configuration resumes it exactly.
     *
     * <p>Everything is checked here, at load time, and a file that does not fit is refused with an
     * {@link UncheckedIOException} whose cause, a {@link CheckpointFileException}, names the file and the problem: not a
     * regular file, not a Kiln file, truncated or corrupt, a bad data type, a missing, extra or misshapen weight,
     * optimizer state that does not fit the weights, NaN or infinite weights or state (unless {@code options} hold
     * {@link LoadOption#ALLOW_NON_FINITE}). A file of another model or architecture is an
     * {@link IllegalArgumentException}.
     */
    protected static <M extends KilnModel> M restore(Path file, Function<DataType, M> factory,
            LoadOption... options) {
        requireArgument(file, "load", "file");
        boolean allowNonFinite = Arrays.asList(options).contains(LoadOption.ALLOW_NON_FINITE);
        Checkpoint checkpoint;
        M model;
        try {
            checkpoint = CheckpointFile.read(file);
            LoadCheck check = new LoadCheck(file, checkpoint);
            model = factory.apply(check.dataType());
            ModelSpec spec = model.spec();
            if (!checkpoint.modelClass().equals(spec.modelClass())) {
                throw new IllegalArgumentException(file + " holds a " + checkpoint.modelClass() + ", not a "
                        + spec.modelClass() + "; load it with " + checkpoint.modelClass() + "Model.load");
            }
            if (!checkpoint.architectureHash().equals(spec.architectureHash())) {
                throw new IllegalArgumentException(file + " was saved from another architecture of " + spec.modelName()
                        + " (hash " + checkpoint.architectureHash() + ", this one is " + spec.architectureHash()
                        + "): the layers, shapes or wiring have changed since, so its weights do not fit. Retrain, or"
                        + " load it with the version of the model that saved it.");
            }
            check.weights(spec, allowNonFinite);
            check.optimizerState(((KilnModel) model).parameters.trainableCount(), allowNonFinite);
        } catch (IOException e) {
            throw new UncheckedIOException(e.getMessage(), e);
        }
        model.setWeights(checkpoint.weights());
        if (checkpoint.optimizerConfig() != null) {
            ((KilnModel) model).savedOptimizerConfig = checkpoint.optimizerConfig();
            ((KilnModel) model).savedOptimizerState = checkpoint.optimizerState();
            ((KilnModel) model).savedFrom = file;
        }
        return model;
    }

    /** Predictions keyed by output name for inputs keyed by input name; the arrays are new. */
    public Map<String, INDArray> predict(Map<String, INDArray> inputs) {
        INDArray[] out = predictArrays(byName(inputs, inputNames(), "input"));
        Map<String, INDArray> result = new LinkedHashMap<>();
        for (int i = 0; i < out.length; i++) {
            result.put(outputSpecs.get(i).name(), out[i]);
        }
        return result;
    }

    /**
     * Arrays keyed by node name, ordered as {@code names}; {@code what} ("input", "target") names them in errors. Used
     * by the Map forms of predict and trainOnBatch.
     */
    protected final INDArray[] byName(Map<String, INDArray> arrays, List<String> names, String what) {
        if (arrays == null) {
            throw new IllegalArgumentException("the " + what + "s are null; " + spec.modelName() + " needs " + names);
        }
        for (String key : arrays.keySet()) {
            if (!names.contains(key)) {
                throw new IllegalArgumentException(spec.modelName() + " has no " + what + " '" + key + "'; its " + what
                        + "s are " + names);
            }
        }
        INDArray[] out = new INDArray[names.size()];
        for (int i = 0; i < out.length; i++) {
            out[i] = arrays.get(names.get(i));
            if (out[i] == null) {
                throw new IllegalArgumentException((arrays.containsKey(names.get(i)) ? what + " '" + names.get(i)
                        + "' is null" : "missing " + what + " '" + names.get(i) + "'") + "; " + spec.modelName()
                        + " needs " + names);
            }
        }
        return out;
    }

    /** Predictions for arrays ordered as the inputs; new arrays, one per output. Safe from any number of threads. */
    protected final INDArray[] predictArrays(INDArray... inputs) {
        return copies(predictBatch(inputs));
    }

    /**
     * One optimizer step on arrays ordered as the inputs and outputs; returns the loss before the step. Throws, with
     * the step not applied, when the loss or a gradient is not finite: an {@link IllegalArgumentException} naming the
     * input or target, sample and value to blame, or an {@link ArithmeticException} when the batch is finite (the
     * weights have diverged).
     */
    protected final double trainArrays(INDArray[] inputs, INDArray[] targets) {
        StepResult result = trainStep(inputs, targets);
        if (!Double.isFinite(result.loss())) {
            throw notApplied("the loss is " + result.loss(), inputs, targets);
        }
        return result.loss();
    }

    /**
     * Predictions on one batch in inference mode, one array per output, in buffers of this thread's own: valid until
     * this thread's next predict on this model (copy them to keep them). Safe from any number of threads; the
     * {@code predict} methods return copies.
     */
    @Override
    public final INDArray[] predictBatch(INDArray[] inputs) {
        lock.readLock().lock();
        KilnModel twin = twinOfThisThread();
        try {
            twin.bind(check.inputs(inputs));
            twin.training = false;
            twin.forward(twin.inputsBound, false);
            return twin.outputs.clone();
        } finally {
            twin.inputsBound = null;
            lock.readLock().unlock();
        }
    }

    /**
     * One optimizer step. When the loss is not finite it is returned and the step is not applied (the training loop
     * reports it); when the loss is finite but a gradient is not, it throws as {@link #trainArrays} does. Either way
     * the weights and the optimizer's state are left as they were.
     */
    @Override
    public final StepResult trainStep(INDArray[] inputs, INDArray[] targets) {
        lockToChange("trainOnBatch");
        try {
            requireCompiled("training");
            if (outputSpecs.stream().allMatch(o -> o.loss() == Loss.NONE)) {
                throw new IllegalStateException(spec.modelName() + " has no loss to train on: its outputs "
                        + outputSpecs.stream().map(OutputSpec::name).collect(Collectors.toList()) + " declare none."
                        + " Give one with @Output(loss = ...), e.g. @Output(loss = MEAN_SQUARED_ERROR); a model without"
                        + " a loss only predicts.");
            }
            INDArray[] y = forwardAndLoss(inputs, targets, true);
            StepResult result = losses(y, true, targets);
            if (!Double.isFinite(result.loss())) {
                return result; // no backward, no step: the weights stay as they were
            }
            backward();
            parameters.zeroFrozenGradients();
            if (!Finite.all(parameters.trainableGradients())) {
                throw notApplied("a gradient is not finite (the loss is " + result.loss() + ")", inputs, targets);
            }
            step();
            return result;
        } finally {
            lock.writeLock().unlock();
        }
    }

    /**
     * Loss and predictions on one batch in inference mode; the predictions are valid until this thread's next predict
     * on this model, as {@link #predictBatch}'s. Safe from any number of threads.
     */
    @Override
    public final StepResult testStep(INDArray[] inputs, INDArray[] targets) {
        lock.readLock().lock();
        KilnModel twin = twinOfThisThread();
        try {
            BatchCheck.Batch batch = check.inputs(inputs);
            INDArray[] y = check.targets(targets, batch.size());
            twin.bind(batch);
            twin.training = false;
            twin.forward(twin.inputsBound, false);
            StepResult result = twin.losses(y, false, targets);
            return new StepResult(result.loss(), result.outputLosses(), twin.outputs.clone());
        } finally {
            twin.inputsBound = null;
            lock.readLock().unlock();
        }
    }

    /**
     * Forward, loss and backward on one batch without an optimizer step: afterwards {@link #gradients()} holds
     * {@code dLoss/dWeights}. Gradient checks use it; {@code training} switches dropout on.
     */
    public final StepResult computeGradients(INDArray[] inputs, INDArray[] targets, boolean training) {
        lockToChange("computeGradients");
        try {
            INDArray[] y = forwardAndLoss(inputs, targets, training);
            StepResult result = losses(y, true, targets);
            backward();
            return result;
        } finally {
            lock.writeLock().unlock();
        }
    }

    /**
     * One optimizer step with gradients the caller computed, as Keras's {@code optimizer.apply_gradients}: the model's
     * optimizer updates its weights from {@code gradients}, keyed by Keras variable name as {@link #gradients()} and
     * {@link #getWeights()} are. Every trainable variable must be given (an optimizer with momentum moves a weight
     * even when its gradient is zero, so a missing one is a mistake, not a zero); non-trainable ones (moving
     * statistics) may be left out. With the gradients of {@link #computeGradients} this is exactly {@link #trainStep}'s
     * step. A gradient of the wrong shape, an unknown name or a non-finite value throws and changes nothing.
     */
    public final void applyGradients(Map<String, INDArray> gradients) {
        requireArgument(gradients, "applyGradients", "gradients");
        List<VariableSpec> vars = spec.variables();
        for (String name : gradients.keySet()) {
            if (vars.stream().noneMatch(v -> v.name().equals(name))) {
                throw new IllegalArgumentException("applyGradients: " + spec.modelName() + " has no variable '" + name
                        + "'; its variables are " + vars.stream().map(VariableSpec::name).collect(Collectors.toList()));
            }
        }
        List<String> missing = new ArrayList<>();
        for (VariableSpec v : vars) {
            INDArray g = gradients.get(v.name());
            if (g == null) {
                if (v.trainable()) {
                    missing.add(v.name());
                }
            } else if (!Arrays.equals(g.shape(), v.shape())) {
                throw new IllegalArgumentException("applyGradients: the gradient of '" + v.name() + "' must have shape "
                        + Arrays.toString(v.shape()) + " (the variable's, Keras layout), but has "
                        + Arrays.toString(g.shape()));
            } else if (!Finite.all(g)) {
                throw new IllegalArgumentException("applyGradients: the gradient of '" + v.name() + "' is not finite;"
                        + " the step was not applied: the weights and the optimizer's state are unchanged");
            }
        }
        if (!missing.isEmpty()) {
            throw new IllegalArgumentException("applyGradients: no gradient given for the trainable variables " + missing
                    + "; give every trainable variable's (a zero array where it has none)");
        }
        lockToChange("applyGradients");
        try {
            requireCompiled("applyGradients");
            for (int i = 0; i < vars.size(); i++) {
                INDArray g = gradients.get(vars.get(i).name());
                if (vars.get(i).trainable()) {
                    parameters.gradient(i).assign(g.castTo(dtype));
                }
            }
            step();
        } finally {
            lock.writeLock().unlock();
        }
    }

    /**
     * As {@link #applyGradients(Map)}, with the gradients flat in {@link #parameterBuffer()}'s order (trainable
     * variables first): the whole buffer, or its trainable prefix. Data-parallel training sums such buffers.
     */
    public final void applyGradients(INDArray flatGradients) {
        requireArgument(flatGradients, "applyGradients", "flatGradients");
        long trainable = parameters.trainableCount();
        if (!flatGradients.isVector() && !flatGradients.isScalar()
                || flatGradients.length() != trainable && flatGradients.length() != parameters.count()) {
            throw new IllegalArgumentException("applyGradients: flat gradients must be a vector of " + trainable
                    + " values (the trainable variables) or " + parameters.count() + " (all), in parameterBuffer()'s"
                    + " order; got shape " + Arrays.toString(flatGradients.shape()));
        }
        if (!Finite.all(flatGradients)) {
            throw new IllegalArgumentException("applyGradients: the flat gradients are not finite; the step was not"
                    + " applied: the weights and the optimizer's state are unchanged");
        }
        lockToChange("applyGradients");
        try {
            requireCompiled("applyGradients");
            INDArray prefix = flatGradients.reshape(flatGradients.length())
                    .get(NDArrayIndex.interval(0, trainable));
            parameters.trainableGradients().assign(prefix.castTo(dtype));
            step();
        } finally {
            lock.writeLock().unlock();
        }
    }

    /** The optimizer's step from the gradient buffer, frozen variables kept; the caller holds the write lock. */
    private void step() {
        parameters.zeroFrozenGradients();
        optimizer.apply(parameters.trainableValues(), parameters.trainableGradients());
        parameters.restoreFrozen();
    }

    private void requireCompiled(String what) {
        if (optimizer == null) {
            throw new IllegalStateException(spec.modelName() + " is not compiled: call compile(new Adam(1e-3)) (or"
                    + " another optimizer) before " + what);
        }
    }

    /**
     * The optimizer's variables (Keras's {@code optimizer.variables}: Adam's {@code momentum} and {@code velocity},
     * SGD's {@code momentum}, ...) per model variable, keyed {@code "<variable>/<slot>"} as {@code
     * "dense/kernel/momentum"} and shaped as the variable; {@code "iterations"} and any scalar the optimizer keeps under
     * their own names. Copies; {@link Optimizer#loadState} takes the flat form back.
     */
    public final Map<String, INDArray> optimizerVariables() {
        lock.readLock().lock();
        try {
            requireCompiled("optimizerVariables");
            long trainable = parameters.trainableCount();
            Map<String, INDArray> out = new LinkedHashMap<>();
            for (Map.Entry<String, INDArray> slot : optimizer.state().entrySet()) {
                INDArray flat = slot.getValue();
                if (slot.getKey().equals("iterations") || flat.length() != trainable || trainable < 2) {
                    out.put(slot.getKey(), flat);
                    continue;
                }
                INDArray vector = flat.reshape(flat.length());
                long offset = 0;
                for (VariableSpec v : spec.variables()) {
                    if (v.trainable()) {
                        out.put(v.name() + "/" + slot.getKey(), vector
                                .get(NDArrayIndex.interval(offset, offset + v.length())).reshape('c', v.shape()).dup('c'));
                        offset += v.length();
                    }
                }
            }
            return out;
        } finally {
            lock.readLock().unlock();
        }
    }

    // ---- feature extraction

    /**
     * The values of the named nodes (any node: inputs, hidden layers, outputs; a nested model's as {@code
     * "encoder/hidden"}) for {@code inputs}, in inference mode: Keras's feature extraction, {@code Model(inputs,
     * [layer.output for layer in model.layers])}, without a second model. The arrays are new. Runs on a twin whose
     * buffers are all kept apart (training shares memory between nodes whose lifetimes do not overlap), made at the
     * first call; calls from several threads take turns on it.
     */
    public final Map<String, INDArray> predictNodes(Map<String, INDArray> inputs, String... nodes) {
        requireArgument(nodes, "predictNodes", "nodes");
        List<String> known = spec.nodes().stream().map(ModelSpec.NodeSpec::name).collect(Collectors.toList());
        for (String node : nodes) {
            if (node == null || !known.contains(node)) {
                throw new IllegalArgumentException("predictNodes: " + spec.modelName() + " has no node '" + node
                        + "'; its nodes are " + known);
            }
        }
        INDArray[] arrays = byName(inputs, inputNames(), "input");
        lock.readLock().lock();
        try {
            KilnModel twin = extractor();
            synchronized (twin) {
                try {
                    twin.bind(check.inputs(arrays));
                    twin.training = false;
                    twin.forward(twin.inputsBound, false);
                    Map<String, INDArray> out = new LinkedHashMap<>();
                    for (String node : nodes) {
                        INDArray value = twin.nodeValue(node);
                        if (value == null) {
                            throw new IllegalArgumentException("predictNodes: node '" + node + "' of "
                                    + spec.modelName() + " is not computed: it feeds no output");
                        }
                        out.put(node, value.dup('c'));
                    }
                    return out;
                } finally {
                    twin.inputsBound = null;
                }
            }
        } finally {
            lock.readLock().unlock();
        }
    }

    private KilnModel extractor() {
        synchronized (twins) {
            if (extractor == null) {
                extractor = sharingWeights();
                extractor.buffers.keepBuffersApart();
            }
            return extractor;
        }
    }

    // ---- custom loops

    /**
     * Runs the forward pass on {@code inputs} (keyed by input name) and keeps it for one backward pass, as Keras's
     * {@code with tf.GradientTape() as tape: y = model(x, training=...)}; {@code training} switches dropout on and
     * makes batch normalization use (and update) the batch's statistics. The tape's backward must come before this
     * model's next forward pass (another tape, a training step): it reads the activations this pass left in the
     * model's buffers.
     */
    public final Tape tape(Map<String, INDArray> inputs, boolean training) {
        INDArray[] arrays = byName(inputs, inputNames(), "input");
        lockToChange("tape");
        try {
            BatchCheck.Batch batch = check.inputs(arrays);
            passes++;
            bind(batch);
            this.training = training;
            try {
                forward(inputsBound, training);
            } finally {
                inputsBound = null;
            }
            Map<String, INDArray> out = new LinkedHashMap<>();
            for (int i = 0; i < outputs.length; i++) {
                out.put(outputSpecs.get(i).name(), outputs[i].dup('c'));
            }
            return new Tape(this, passes, batch.size(), out);
        } finally {
            lock.writeLock().unlock();
        }
    }

    /** {@link Tape#backward}: output gradients given, or written by the loss when {@code targets} is not null. */
    Tape.Gradients backward(Tape tape, Map<String, INDArray> outputGradientsByName, Map<String, INDArray> targets) {
        lockToChange("backward");
        try {
            if (tape.pass() != passes) {
                throw new IllegalStateException("this tape's forward pass of " + spec.modelName() + " is gone: the"
                        + " model ran " + (passes - tape.pass()) + " forward pass(es) since (a training step, or"
                        + " another tape). Call backward before the model's next forward pass");
            }
            double loss = Double.NaN;
            if (targets != null) {
                INDArray[] given = byName(targets, outputSpecs.stream().filter(o -> o.loss() != Loss.NONE)
                        .map(OutputSpec::name).collect(Collectors.toList()), "target");
                INDArray[] all = new INDArray[outputs.length];
                for (int i = 0, k = 0; i < outputs.length; i++) {
                    all[i] = outputSpecs.get(i).loss() == Loss.NONE ? null : given[k++];
                }
                loss = losses(check.targets(all, tape.batchSize()), true, all).loss();
            } else {
                seedOutputGradients(outputGradientsByName, tape.batchSize());
            }
            long growths = buffers.growths();
            bindTapeBuffers(boundDims);
            if (buffers.growths() != growths) {
                bindTapeBuffers(boundDims); // a slot grew midway: bind once more so every view sees its final memory
            }
            backwardToInputs();
            parameters.zeroFrozenGradients();
            Map<String, INDArray> weights = new LinkedHashMap<>();
            List<VariableSpec> vars = spec.variables();
            for (int i = 0; i < vars.size(); i++) {
                if (vars.get(i).trainable()) {
                    weights.put(vars.get(i).name(), parameters.gradient(i).dup('c'));
                }
            }
            Map<String, INDArray> inputs = new LinkedHashMap<>();
            for (int i = 0; i < inputGradients.length; i++) {
                if (inputGradients[i] != null) {
                    inputs.put(spec.inputs().get(i).name(), inputGradients[i].dup('c'));
                }
            }
            passes++; // the backward pass may overwrite activations: this tape is spent
            return new Tape.Gradients(loss, weights, inputs);
        } finally {
            lock.writeLock().unlock();
        }
    }

    /**
     * Writes the caller's {@code dLoss/dOutput} into the output gradients (zero where none is given); a fused output's
     * gradient is taken before its softmax or sigmoid, so the caller's is carried through the activation first.
     */
    private void seedOutputGradients(Map<String, INDArray> given, long batchSize) {
        requireArgument(given, "backward", "outputGradients");
        List<String> names = outputSpecs.stream().map(OutputSpec::name).collect(Collectors.toList());
        for (String key : given.keySet()) {
            if (!names.contains(key)) {
                throw new IllegalArgumentException(spec.modelName() + " has no output '" + key + "'; its outputs are "
                        + names);
            }
        }
        for (int i = 0; i < outputs.length; i++) {
            INDArray g = given.get(names.get(i));
            if (g == null) {
                outputGradients[i].assign(0);
                continue;
            }
            if (!Arrays.equals(g.shape(), outputs[i].shape())) {
                throw new IllegalArgumentException("the gradient for output '" + names.get(i) + "' must have the"
                        + " output's shape " + Arrays.toString(outputs[i].shape()) + " (batch of " + batchSize
                        + "), but has " + Arrays.toString(g.shape()));
            }
            if (!Finite.all(g)) {
                throw new IllegalArgumentException("the gradient for output '" + names.get(i) + "' is not finite");
            }
            outputGradients[i].assign(g.castTo(dtype));
            if (spec.outputs().get(i).fused()) {
                Losses.throughFusedActivation(outputSpecs.get(i).loss(), outputs[i], outputGradients[i]);
            }
        }
    }

    /** Checks and binds the batch, runs the forward pass on this model's own buffers; returns the checked targets. */
    private INDArray[] forwardAndLoss(INDArray[] inputs, INDArray[] targets, boolean training) {
        BatchCheck.Batch batch = check.inputs(inputs);
        INDArray[] y = check.targets(targets, batch.size());
        passes++;
        bind(batch);
        this.training = training;
        try {
            forward(inputsBound, training);
        } finally {
            inputsBound = null;
        }
        return y;
    }

    /**
     * Freezes ({@code false}) or unfreezes a node's weights for the training steps that follow, as Keras's
     * {@code layer.trainable = ...} for fine-tuning: a frozen node's weights keep their values and count as
     * non-trainable in {@link #summary()}. Nodes declared {@code trainable = false} stay frozen.
     */
    public void setTrainable(String node, boolean trainable) {
        requireArgument(node, "setTrainable", "node");
        lockToChange("setTrainable");
        try {
            parameters.setTrainable(node, trainable, spec.modelName());
        } finally {
            lock.writeLock().unlock();
        }
    }

    /** Reseeds the dropout masks (gradient checks replay one mask); seeded layers start their sequences again. */
    public final void reseed(long seed) {
        lockToChange("reseed");
        try {
            this.random = new SplittableRandom(seed);
            seededRandoms.clear();
        } finally {
            lock.writeLock().unlock();
        }
    }

    /**
     * The mask generator of a layer with its own seed: Keras's {@code Dropout(seed=...)} draws the same masks whatever
     * else the model draws. Layers that give the same seed share one generator.
     */
    protected final SplittableRandom random(long seed) {
        return seededRandoms.computeIfAbsent(seed, SplittableRandom::new);
    }

    // ---- threads

    /**
     * Takes the lock that changes the model, for {@code what}: refused while another thread is inside {@link #fit},
     * and inside a predict or evaluate of this model on this thread (it would wait for itself).
     */
    private void lockToChange(String what) {
        if (lock.getReadHoldCount() > 0) {
            throw new IllegalStateException(what + " cannot run inside a predict or evaluate of " + spec.modelName()
                    + " on the same thread (it would wait for itself)");
        }
        lock.writeLock().lock();
        Thread trainer = fitting;
        if (trainer != null && trainer != Thread.currentThread()) {
            lock.writeLock().unlock();
            throw new IllegalStateException(what + " was called on " + spec.modelName() + " from thread '"
                    + Thread.currentThread().getName() + "' while thread '" + trainer.getName() + "' is inside fit:"
                    + " only the training thread (and its callbacks) may change the model until fit returns; predict"
                    + " and evaluate may run from any thread");
        }
    }

    /**
     * This thread's twin, made at its first predict. A thread's twin goes when the thread does (the map holds threads
     * weakly) or with the model. Measured per call, with the read lock, on one thread: ~30 ns with a ThreadLocal,
     * ~45 ns with this map, 90-340 ns with a pool of twins taken and given back. Unlike a pool, a twin per thread lets
     * predictBatch return its buffers without a copy (a new ND4J array costs 20-40 us on the loaded 2-core machine,
     * where a batch-1 predict takes ~47 us in all); unlike a ThreadLocal, the map does not keep a discarded model's
     * twins (and through them its weights) in long-lived threads.
     */
    private KilnModel twinOfThisThread() {
        Thread thread = Thread.currentThread();
        KilnModel twin = twins.get(thread);
        if (twin == null) {
            twin = sharingWeights();
            twins.put(thread, twin);
        }
        return twin;
    }

    /** Points this model's buffers at the batch's dimensions and holds its inputs for the pass. */
    private void bind(BatchCheck.Batch batch) {
        long[] dims = batch.dims();
        if (!Arrays.equals(dims, boundDims)) {
            long growths = buffers.growths();
            buffers.rewind();
            bindBuffers(dims);
            if (buffers.growths() != growths) {
                buffers.rewind();
                bindBuffers(dims); // a slot grew midway: bind once more so every view sees its final memory
            }
            boundDims = dims;
        }
        inputsBound = batch.arrays();
    }

    private static INDArray[] copies(INDArray[] arrays) {
        INDArray[] out = new INDArray[arrays.length];
        for (int i = 0; i < arrays.length; i++) {
            out[i] = arrays[i].dup('c');
        }
        return out;
    }

    /** The exception of a step that was not applied because {@code why}, blaming a value of the batch if one is. */
    private RuntimeException notApplied(String why, INDArray[] inputs, INDArray[] targets) {
        String culprit = check.firstNonFinite(inputs, targets);
        String unchanged = "; the step was not applied: the weights and the optimizer's state are unchanged";
        if (culprit != null) {
            return new IllegalArgumentException(culprit + ": " + why + unchanged + ". Remove or replace non-finite"
                    + " values before training");
        }
        return new ArithmeticException(why + " though the inputs and targets of " + spec.modelName() + " are finite:"
                + " training has diverged" + unchanged + ". Lower the learning rate, or clip gradients (clipnorm)");
    }

    static void requireArgument(Object value, String method, String argument) {
        if (value == null) {
            throw new IllegalArgumentException(method + ": " + argument + " is null");
        }
    }

    private static void requireBatchSize(int batchSize, String method) {
        if (batchSize < 1) {
            throw new IllegalArgumentException(method + ": batchSize must be at least 1, got " + batchSize);
        }
    }

    // ---- losses

    /** The losses of this model's {@link #outputs} against checked {@code targets}; {@code given} are the caller's. */
    private StepResult losses(INDArray[] targets, boolean withGradients, INDArray[] given) {
        double total = 0;
        double[] each = new double[outputs.length];
        for (int i = 0; i < outputs.length; i++) {
            Output o = spec.outputs().get(i);
            Loss loss = o.spec().loss();
            if (loss == Loss.NONE) {
                each[i] = Double.NaN;
                if (withGradients) {
                    outputGradients[i].assign(0);
                }
                continue;
            }
            double w = o.spec().lossWeight();
            try {
                each[i] = Losses.forOutput(o.spec(), o.fused(), outputs[i], outputLogits[i], targets[i],
                        withGradients ? outputGradients[i] : null);
            } catch (IllegalArgumentException e) { // a NaN target or a bad class id, which the loss names by position
                String culprit = check.firstNonFinite(null, given);
                throw new IllegalArgumentException(culprit != null ? culprit
                        : "targets for output '" + o.spec().name() + "': " + e.getMessage(), e);
            }
            total += w * each[i];
        }
        return new StepResult(total, each, outputs);
    }

    /**
     * Checks the class ids of every sparse output's targets in {@code data} before training or evaluating, so that a
     * bad label is named by its sample in the data set; the loss sees one shuffled batch and could only name a row.
     */
    private void checkClassIds(Dataset data) {
        if (!data.hasTargets()) {
            return;
        }
        List<String> names = data.targetNames();
        for (OutputSpec o : outputSpecs) {
            if (!Losses.sparse(o.loss())) {
                continue;
            }
            INDArray ids = data.isNamed()
                    ? names.contains(o.name()) ? data.targets().get(names.indexOf(o.name())) : null
                    : data.targets().size() == 1 ? data.targets().get(0) : null;
            if (ids == null || ids.length() != data.size()) {
                continue; // aligning the data, or the shape check, says what is wrong
            }
            long[] shape = spec.node(o.name()).shape();
            long classes = shape[shape.length - 1];
            double[] values = ids.reshape(ids.length()).toDoubleVector();
            for (int sample = 0; sample < values.length; sample++) {
                double id = values[sample];
                if (id != Math.rint(id) || id < 0 || id >= classes) {
                    throw new IllegalArgumentException("label " + (id == Math.rint(id) ? Long.toString((long) id)
                            : Double.toString(id)) + " at sample " + sample + " of the targets for output '" + o.name()
                            + "' is not a class id in 0.." + (classes - 1) + " (the output has " + classes
                            + " classes)");
                }
            }
        }
    }

    // ---- weights by name

    /** Copies of all weights, keyed by Keras variable names; one consistent version, never a step's half. */
    @Override
    public Map<String, INDArray> getWeights() {
        lock.readLock().lock();
        try {
            Map<String, INDArray> m = new LinkedHashMap<>();
            List<VariableSpec> vars = spec.variables();
            for (int i = 0; i < vars.size(); i++) {
                m.put(vars.get(i).name(), parameters.value(i).dup('c'));
            }
            return m;
        } finally {
            lock.readLock().unlock();
        }
    }

    @Override
    public void setWeights(Map<String, INDArray> weights) {
        requireArgument(weights, "setWeights", "weights");
        List<VariableSpec> vars = spec.variables();
        for (String name : weights.keySet()) {
            if (vars.stream().noneMatch(v -> v.name().equals(name))) {
                throw new IllegalArgumentException(spec.modelName() + " has no variable '" + name + "'; its variables are "
                        + vars.stream().map(VariableSpec::name).collect(Collectors.toList()));
            }
        }
        for (int i = 0; i < vars.size(); i++) {
            VariableSpec v = vars.get(i);
            INDArray w = weights.get(v.name());
            if (w == null) {
                throw new IllegalArgumentException("setWeights is missing '" + v.name() + "' (shape " + Arrays.toString(v.shape())
                        + ")");
            }
            if (!Arrays.equals(w.shape(), v.shape())) {
                throw new IllegalArgumentException("'" + v.name() + "' must have shape " + Arrays.toString(v.shape())
                        + " (Keras layout), but was given " + Arrays.toString(w.shape()));
            }
        }
        lockToChange("setWeights");
        try {
            for (int i = 0; i < vars.size(); i++) {
                parameters.value(i).assign(weights.get(vars.get(i).name()).castTo(dtype));
            }
        } finally {
            lock.writeLock().unlock();
        }
    }

    /** Copies of the gradients of the last {@link #computeGradients} or training step, keyed like the weights. */
    public Map<String, INDArray> gradients() {
        lock.readLock().lock();
        try {
            Map<String, INDArray> m = new LinkedHashMap<>();
            List<VariableSpec> vars = spec.variables();
            for (int i = 0; i < vars.size(); i++) {
                m.put(vars.get(i).name(), parameters.gradient(i).dup('c'));
            }
            return m;
        } finally {
            lock.readLock().unlock();
        }
    }

    /** The flat buffer of all weights (live, not a copy, not guarded): gradient checks perturb it in place. */
    public final INDArray parameterBuffer() {
        return parameters.values();
    }

    /** The flat buffer of all gradients (live, not guarded). */
    public final INDArray gradientBuffer() {
        return parameters.gradients();
    }

    /** Number of weights, trainable and not. */
    public final long countParams() {
        return parameters.count();
    }

    /** The model interface's qualified name. */
    @Override
    public String modelClass() {
        return spec.modelClass();
    }

    /**
     * Keras 3's summary table of this model: one row per layer (a shared layer once, with every application in
     * "Connected to"; a nested model as one {@code (Functional)} row), then the parameter counts and their memory in
     * this model's dtype, and the optimizer's variables once it has taken a step.
     */
    @Override
    public String summary() {
        return summary(false);
    }

    /** {@link #summary()}, with each nested model's layers listed under its row when {@code expandNested}. */
    public String summary(boolean expandNested) {
        lock.readLock().lock();
        try {
            return Summary.render(spec, parameters.frozenNames(), dtype.width(), optimizer, expandNested);
        } finally {
            lock.readLock().unlock();
        }
    }

    static String keras(long[] shape) {
        StringBuilder sb = new StringBuilder("(batch");
        for (long d : shape) {
            sb.append(", ").append(d < 0 ? "None" : Long.toString(d));
        }
        return sb.append(')').toString();
    }
}
