package dev.kiln.runtime;

import dev.kiln.dsl.DType;
import dev.kiln.dsl.Loss;
import dev.kiln.runtime.ModelSpec.InputSpec;
import dev.kiln.runtime.ModelSpec.Output;
import dev.kiln.runtime.ModelSpec.VariableSpec;
import dev.kiln.runtime.loss.Losses;
import dev.kiln.runtime.optim.Optimizer;
import dev.kiln.runtime.train.Trainable;
import dev.kiln.runtime.data.Dataset;
import dev.kiln.runtime.io.Checkpoint;
import dev.kiln.runtime.io.CheckpointFile;
import dev.kiln.runtime.io.CheckpointFileException;
import dev.kiln.runtime.io.LoadOption;
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
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.stream.Collectors;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * The base of every generated model. The generated subclass holds the straight-line forward and backward code of one
 * model graph; everything general — memory, shape checks, losses, the optimizer step, weights by name, training, I/O —
 * lives here once.
 *
 * <p>Subclasses implement four hooks: {@link #bindWeights} (point weight fields at the flat buffers),
 * {@link #bindBuffers} (point activation fields at buffers sized for a batch), {@link #forward} and {@link #backward}.
 */
public abstract class KilnModel implements Trainable {
    private final ModelSpec spec;
    private final DataType dtype;
    private final Parameters parameters;
    private final BufferPool buffers;
    private final List<OutputSpec> outputSpecs;
    private long[] boundDims;
    private Optimizer optimizer;
    private boolean training;
    /** Variables frozen at run time (fine-tuning), by name, with the values they keep. */
    private final Map<String, INDArray> frozen = new LinkedHashMap<>();
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
    /** Each output's sample shape, looked up once (targets are checked against it every step). */
    private final long[][] outputShapes;

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
        this.buffers = new BufferPool(bufferSlots, dtype);
        this.outputSpecs = spec.outputs().stream().map(Output::spec).collect(Collectors.toUnmodifiableList());
        this.outputs = new INDArray[spec.outputs().size()];
        this.outputGradients = new INDArray[spec.outputs().size()];
        this.outputShapes = spec.outputs().stream().map(o -> spec.node(o.spec().name()).shape()).toArray(long[][]::new);
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

    /** One optimizer step on one batch, inputs and targets keyed by node name; returns the loss before the step. */
    public double trainOnBatch(Map<String, INDArray> inputs, Map<String, INDArray> targets) {
        List<String> outputNames = outputSpecs.stream().map(OutputSpec::name).collect(Collectors.toList());
        return trainStep(byName(inputs, inputNames(), "input"), byName(targets, outputNames, "target")).loss();
    }

    /** Keras's {@code fit}: epochs of mini-batches with a progress bar, validation and callbacks. */
    public History fit(Dataset data, Fit options) {
        checkClassIds(data);
        return new Trainer().fit(this, data.source(), options);
    }

    /** Keras's {@code evaluate}: loss and metrics over {@code data} in batches of 32, in inference mode. */
    public Evaluation evaluate(Dataset data) {
        return evaluate(data, 32);
    }

    public Evaluation evaluate(Dataset data, int batchSize) {
        checkClassIds(data);
        return new Trainer().evaluate(this, data.source(), batchSize);
    }

    /** Predictions for every sample of {@code data}, in batches of {@code batchSize}, keyed by output name. */
    public Map<String, INDArray> predict(Dataset data, int batchSize) {
        INDArray[] all = new Trainer().predict(this, data.source(), batchSize);
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
        Map<String, String> metadata = new LinkedHashMap<>();
        metadata.put("dtype", dtype.name());
        Checkpoint checkpoint = new Checkpoint(spec.modelClass(), spec.architectureHash(), getWeights(),
                optimizer == null ? null : optimizer.config(), optimizer == null ? Map.of() : optimizer.state(), metadata);
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
        INDArray[] out = predictBatch(byName(inputs, inputNames(), "input"));
        Map<String, INDArray> result = new LinkedHashMap<>();
        for (int i = 0; i < out.length; i++) {
            result.put(outputSpecs.get(i).name(), out[i].dup());
        }
        return result;
    }

    /**
     * Arrays keyed by node name, ordered as {@code names}; {@code what} ("input", "target") names them in errors. Used
     * by the Map forms of predict and trainOnBatch.
     */
    protected final INDArray[] byName(Map<String, INDArray> arrays, List<String> names, String what) {
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
                throw new IllegalArgumentException("missing " + what + " '" + names.get(i) + "'; " + spec.modelName()
                        + " needs " + names);
            }
        }
        return out;
    }

    /** Predictions for arrays ordered as the inputs; new arrays, one per output. */
    protected final INDArray[] predictArrays(INDArray... inputs) {
        INDArray[] out = predictBatch(inputs);
        INDArray[] copies = new INDArray[out.length];
        for (int i = 0; i < out.length; i++) {
            copies[i] = out[i].dup();
        }
        return copies;
    }

    @Override
    public final INDArray[] predictBatch(INDArray[] inputs) {
        INDArray[] x = prepare(inputs);
        training = false;
        forward(x, false);
        return outputs;
    }

    @Override
    public final StepResult trainStep(INDArray[] inputs, INDArray[] targets) {
        if (optimizer == null) {
            throw new IllegalStateException(spec.modelName() + " is not compiled: call compile(new Adam(1e-3)) (or another"
                    + " optimizer) before training");
        }
        if (outputSpecs.stream().allMatch(o -> o.loss() == Loss.NONE)) {
            throw new IllegalStateException(spec.modelName() + " has no loss to train on: its outputs "
                    + outputSpecs.stream().map(OutputSpec::name).collect(Collectors.toList()) + " declare none. Give one"
                    + " with @Output(loss = ...), e.g. @Output(loss = MEAN_SQUARED_ERROR); a model without a loss only"
                    + " predicts.");
        }
        StepResult result = computeGradients(inputs, targets, true);
        if (frozen.isEmpty()) {
            optimizer.apply(parameters.trainableValues(), parameters.trainableGradients());
            return result;
        }
        List<VariableSpec> vars = spec.variables();
        for (int i = 0; i < vars.size(); i++) {
            if (frozen.containsKey(vars.get(i).name())) {
                parameters.gradient(i).assign(0); // no say in clipping norms, no effect on the step
            }
        }
        optimizer.apply(parameters.trainableValues(), parameters.trainableGradients());
        for (int i = 0; i < vars.size(); i++) {
            INDArray keep = frozen.get(vars.get(i).name());
            if (keep != null) {
                parameters.value(i).assign(keep); // decay and momentum must not move it either
            }
        }
        return result;
    }

    @Override
    public final StepResult testStep(INDArray[] inputs, INDArray[] targets) {
        INDArray[] x = prepare(inputs);
        INDArray[] y = prepareTargets(targets);
        this.training = false;
        forward(x, false);
        return losses(y, false);
    }

    /**
     * Forward, loss and backward on one batch without an optimizer step: afterwards {@link #gradients()} holds
     * {@code dLoss/dWeights}. Gradient checks use it; {@code training} switches dropout on.
     */
    public final StepResult computeGradients(INDArray[] inputs, INDArray[] targets, boolean training) {
        INDArray[] x = prepare(inputs);
        INDArray[] y = prepareTargets(targets);
        this.training = training;
        forward(x, training);
        StepResult result = losses(y, true);
        backward();
        return result;
    }

    /**
     * Freezes ({@code false}) or unfreezes a node's weights for the training steps that follow, as Keras's
     * {@code layer.trainable = ...} for fine-tuning: a frozen node's weights keep their values and count as
     * non-trainable in {@link #summary()}. Nodes declared {@code trainable = false} stay frozen.
     */
    public void setTrainable(String node, boolean trainable) {
        List<VariableSpec> vars = spec.variables();
        boolean found = false;
        for (int i = 0; i < vars.size(); i++) {
            VariableSpec v = vars.get(i);
            if (!v.name().startsWith(node + "/")) {
                continue;
            }
            found = true;
            if (!v.trainable()) {
                if (trainable) {
                    throw new IllegalArgumentException("'" + node + "' is declared with trainable = false; change the"
                            + " declaration to train it");
                }
                continue;
            }
            if (trainable) {
                frozen.remove(v.name());
            } else {
                frozen.put(v.name(), parameters.value(i).dup());
            }
        }
        if (!found) {
            throw new IllegalArgumentException(spec.modelName() + " has no node '" + node + "' with weights; nodes with"
                    + " weights: " + vars.stream().map(v -> v.name().substring(0, v.name().lastIndexOf('/'))).distinct()
                            .collect(Collectors.toList()));
        }
    }

    /** Reseeds the dropout masks (gradient checks replay one mask); seeded layers start their sequences again. */
    public final void reseed(long seed) {
        this.random = new SplittableRandom(seed);
        seededRandoms.clear();
    }

    /**
     * The mask generator of a layer with its own seed: Keras's {@code Dropout(seed=...)} draws the same masks whatever
     * else the model draws. Layers that give the same seed share one generator.
     */
    protected final SplittableRandom random(long seed) {
        return seededRandoms.computeIfAbsent(seed, SplittableRandom::new);
    }

    private StepResult losses(INDArray[] targets, boolean withGradients) {
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
            each[i] = Losses.forOutput(o.spec(), o.fused(), outputs[i], targets[i],
                    withGradients ? outputGradients[i] : null);
            total += w * each[i];
        }
        return new StepResult(total, each, outputs);
    }

    private INDArray[] prepare(INDArray[] inputs) {
        List<InputSpec> specs = spec.inputs();
        if (inputs.length != specs.size()) {
            throw new IllegalArgumentException(spec.modelName() + " takes " + specs.size() + " input(s) " + inputNames()
                    + " but was given " + inputs.length);
        }
        List<Long> open = new ArrayList<>();
        long batch = -1;
        INDArray[] cast = inputs;
        for (int i = 0; i < inputs.length; i++) {
            InputSpec in = specs.get(i);
            INDArray x = inputs[i];
            if (x == null) {
                throw new IllegalArgumentException("input '" + in.name() + "' is null");
            }
            long[] shape = x.shape();
            boolean ok = shape.length == in.shape().length + 1;
            for (int d = 0; ok && d < in.shape().length; d++) {
                ok = in.shape()[d] < 0 || in.shape()[d] == shape[d + 1];
            }
            if (!ok) {
                throw new IllegalArgumentException("input '" + in.name() + "' must have shape " + keras(in.shape())
                        + " (batch first), but was given an array of shape " + Arrays.toString(shape));
            }
            if (batch >= 0 && shape[0] != batch) {
                throw new IllegalArgumentException("input '" + in.name() + "' has " + shape[0] + " samples but input '"
                        + specs.get(0).name() + "' has " + batch + "; every input needs the same batch size");
            }
            batch = shape[0];
            for (int d = 0; d < in.shape().length; d++) {
                if (in.shape()[d] < 0) {
                    open.add(shape[d + 1]);
                }
            }
            DataType wanted = in.dtype() == DType.INT32 ? x.dataType() : dtype;
            if (x.dataType() != wanted || x.ordering() != 'c' || x.isView()) {
                if (cast == inputs) {
                    cast = inputs.clone();
                }
                cast[i] = x.castTo(wanted).dup('c');
            }
        }
        long[] dims = new long[open.size() + 1];
        dims[0] = batch;
        for (int k = 0; k < open.size(); k++) {
            dims[k + 1] = open.get(k);
        }
        if (!Arrays.equals(dims, boundDims)) {
            long growths = buffers.growths();
            bindBuffers(dims);
            if (buffers.growths() != growths) {
                bindBuffers(dims); // a slot grew midway: bind once more so every view sees its final memory
            }
            boundDims = dims;
        }
        return cast;
    }

    private INDArray[] prepareTargets(INDArray[] targets) {
        if (targets.length != outputs.length) {
            throw new IllegalArgumentException(spec.modelName() + " has " + outputs.length + " output(s) "
                    + outputSpecs.stream().map(OutputSpec::name).collect(Collectors.toList()) + " but was given "
                    + targets.length + " target array(s)");
        }
        INDArray[] y = targets.clone();
        for (int i = 0; i < y.length; i++) {
            OutputSpec o = outputSpecs.get(i);
            if (o.loss() == Loss.NONE) {
                continue;
            }
            if (y[i] == null) {
                throw new IllegalArgumentException("targets for output '" + o.name() + "' are null");
            }
            if (y[i].dataType() != dtype || y[i].isView() || y[i].ordering() != 'c') {
                y[i] = y[i].castTo(dtype).dup('c');
            }
            if (y[i].size(0) != boundDims[0]) {
                throw new IllegalArgumentException("targets for output '" + o.name() + "' have " + y[i].size(0)
                        + " samples but the inputs have " + boundDims[0]);
            }
            checkTargetShape(o, outputShapes[i], y[i].shape());
        }
        return y;
    }

    /**
     * Targets have their output's shape (a trailing axis of 1 may be left out, as Keras allows), or for a sparse loss
     * are class ids of shape {@code (batch)} or {@code (batch, 1)}. The loss kernels read targets as flat buffers, so a
     * wrong shape would otherwise be read out of bounds, or silently misread.
     */
    /** {@code given} has {@code expected}'s shape, an open axis ({@code -1}, Keras's None) matching any length. */
    private static boolean fits(long[] given, long[] expected) {
        if (given.length != expected.length) {
            return false;
        }
        for (int d = 0; d < given.length; d++) {
            if (expected[d] >= 0 && given[d] != expected[d]) {
                return false;
            }
        }
        return true;
    }

    private void checkTargetShape(OutputSpec o, long[] shape, long[] given) {
        long[] expected = new long[shape.length + 1];
        expected[0] = boundDims[0];
        System.arraycopy(shape, 0, expected, 1, shape.length);
        long[] withoutLast = Arrays.copyOf(expected, expected.length - 1);
        long[] lastIsOne = expected.clone();
        lastIsOne[lastIsOne.length - 1] = 1;
        boolean sparse = Losses.sparse(o.loss());
        boolean ok = sparse
                ? fits(given, withoutLast) || fits(given, lastIsOne)
                : fits(given, expected) || expected[expected.length - 1] == 1 && fits(given, withoutLast);
        if (!ok) {
            throw new IllegalArgumentException("targets for output '" + o.name() + "' must be " + (sparse
                    ? "class ids of shape " + keras(Arrays.copyOf(shape, shape.length - 1)) + " or "
                            + keras(lastIsOne(shape)) + " for " + o.loss()
                    : "of its shape " + keras(shape)) + ", but were given an array of shape " + Arrays.toString(given)
                    + (sparse && given.length == expected.length && given[given.length - 1] == expected[expected.length - 1]
                            ? "; for one-hot targets use CATEGORICAL_CROSSENTROPY" : ""));
        }
    }

    private static long[] lastIsOne(long[] shape) {
        long[] out = shape.clone();
        out[out.length - 1] = 1;
        return out;
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

    @Override
    public Map<String, INDArray> getWeights() {
        Map<String, INDArray> m = new LinkedHashMap<>();
        List<VariableSpec> vars = spec.variables();
        for (int i = 0; i < vars.size(); i++) {
            m.put(vars.get(i).name(), parameters.value(i).dup('c'));
        }
        return m;
    }

    @Override
    public void setWeights(Map<String, INDArray> weights) {
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
        for (int i = 0; i < vars.size(); i++) {
            parameters.value(i).assign(weights.get(vars.get(i).name()).castTo(dtype));
        }
    }

    /** Copies of the gradients of the last {@link #computeGradients} or training step, keyed like the weights. */
    public Map<String, INDArray> gradients() {
        Map<String, INDArray> m = new LinkedHashMap<>();
        List<VariableSpec> vars = spec.variables();
        for (int i = 0; i < vars.size(); i++) {
            m.put(vars.get(i).name(), parameters.gradient(i).dup('c'));
        }
        return m;
    }

    /** The flat buffer of all weights (live, not a copy): gradient checks perturb it in place. */
    public final INDArray parameterBuffer() {
        return parameters.values();
    }

    /** The flat buffer of all gradients (live). */
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

    /** Keras's summary table of this model. */
    @Override
    public String summary() {
        return Summary.render(spec, frozen.keySet());
    }

    static String keras(long[] shape) {
        StringBuilder sb = new StringBuilder("(batch");
        for (long d : shape) {
            sb.append(", ").append(d < 0 ? "None" : Long.toString(d));
        }
        return sb.append(')').toString();
    }
}
