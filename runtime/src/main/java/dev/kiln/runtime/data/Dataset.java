package dev.kiln.runtime.data;

import java.util.Arrays;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.UnaryOperator;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.indexing.NDArrayIndex;

/**
 * Samples along axis 0 of one or more arrays: a model's inputs and, for training and evaluation, its targets. Keras's
 * {@code (x, y)} arguments of {@code fit}, as one value.
 *
 * <p>A data set is <b>positional</b> ({@link #of(INDArray, INDArray)}, {@link #of(INDArray)}: one input, at most one
 * target, for a model with one input and one output) or <b>named</b> ({@link #of(Map, Map)}, {@link #ofInputs(Map)}:
 * arrays keyed by the model's node names, in any number). Positional arrays have no names: {@link #inputNames()} and
 * {@link #targetNames()} are empty lists, and messages call them {@code 'x'} and {@code 'y'}, after Keras's arguments.
 *
 * <p>The factories check the arrays and throw {@link IllegalArgumentException} naming the array at fault: every array
 * holds at least one sample and all hold the same number; floating-point arrays hold no NaN or infinity. Arrays are
 * kept by reference, not copied. {@link #split} returns views; {@link #trainTestSplit} copies.
 */
public final class Dataset {
    private static final String X = "x";
    private static final String Y = "y";

    private final boolean named;
    private final Map<String, INDArray> inputs;
    private final Map<String, INDArray> targets;
    private final int size;

    private Dataset(boolean named, Map<String, INDArray> inputs, Map<String, INDArray> targets, int size) {
        this.named = named;
        this.inputs = inputs;
        this.targets = targets;
        this.size = size;
    }

    /** One input and one target, e.g. features {@code (n, 784)} and class ids {@code (n)}. */
    public static Dataset of(INDArray x, INDArray y) {
        return checked(false, Map.of(X, nonNull(x, "input 'x'")), Map.of(Y, nonNull(y, "target 'y'")));
    }

    /** One input and no targets, for {@code predict}. */
    public static Dataset of(INDArray x) {
        return checked(false, Map.of(X, nonNull(x, "input 'x'")), Map.of());
    }

    /**
     * Inputs and targets keyed by the model's input and output node names, for models with several of either. The
     * maps' iteration order is kept (use a {@link LinkedHashMap}); the model's order is applied by {@link #aligned}.
     */
    public static Dataset of(Map<String, INDArray> inputs, Map<String, INDArray> targets) {
        if (targets.isEmpty()) {
            throw new IllegalArgumentException(
                    "the targets map is empty; for a data set without targets use Dataset.ofInputs(inputs)");
        }
        return checked(true, inputs, targets);
    }

    /** Inputs keyed by the model's input node names, no targets: for {@code predict}. */
    public static Dataset ofInputs(Map<String, INDArray> inputs) {
        return checked(true, inputs, Map.of());
    }

    /** The number of samples. */
    /**
     * This data set as the training loop's batch source; {@code fit} and {@code evaluate} match its arrays to the
     * model's inputs and outputs by name (or position).
     */
    public dev.kiln.runtime.train.BatchSource source() {
        return AlignedSource.unaligned(this);
    }

    public int size() {
        return size;
    }

    /** Whether the data set has targets (needed by {@code fit} and {@code evaluate}). */
    public boolean hasTargets() {
        return !targets.isEmpty();
    }

    /** Whether arrays are keyed by node names ({@link #of(Map, Map)}, {@link #ofInputs}) rather than positional. */
    public boolean isNamed() {
        return named;
    }

    /** The inputs' names in the data set's order; empty for a positional data set. */
    public List<String> inputNames() {
        return named ? List.copyOf(inputs.keySet()) : List.of();
    }

    /** The targets' names in the data set's order; empty for a positional data set or one without targets. */
    public List<String> targetNames() {
        return named ? List.copyOf(targets.keySet()) : List.of();
    }

    /** The input arrays, in the data set's order. */
    public List<INDArray> inputs() {
        return List.copyOf(inputs.values());
    }

    /** The target arrays, in the data set's order; empty without targets. */
    public List<INDArray> targets() {
        return List.copyOf(targets.values());
    }

    /**
     * The arrays in the order a model takes them, for training and evaluation. A positional data set must match the
     * model's counts (one input, one output); a named one must have exactly the model's input and output names. A
     * mismatch throws {@link IllegalArgumentException} naming the missing and unexpected arrays.
     *
     * @param modelInputNames the model's input node names, in its order
     * @param modelOutputNames the names of the outputs that take targets, in the model's order
     */
    public Aligned aligned(List<String> modelInputNames, List<String> modelOutputNames) {
        if (!hasTargets()) {
            throw new IllegalArgumentException("the data set has no targets, and training and evaluation need them: "
                    + "make it with Dataset.of(x, y) or Dataset.of(inputs, targets)");
        }
        return new Aligned(modelInputNames, modelOutputNames,
                Alignment.arrange(Alignment.INPUTS, named, inputs, modelInputNames),
                Alignment.arrange(Alignment.TARGETS, named, targets, modelOutputNames), size);
    }

    /** The inputs in the order a model takes them, for prediction; targets, if any, are left out. */
    public Aligned alignedInputs(List<String> modelInputNames) {
        return new Aligned(modelInputNames, List.of(),
                Alignment.arrange(Alignment.PREDICTION_INPUTS, named, inputs, modelInputNames), new INDArray[0], size);
    }

    /**
     * Splits off the last {@code validationFraction} of the samples, before any shuffling, as Keras's
     * {@code validation_split} does: the training part is the first {@code floor(n * (1 - fraction))} samples. Both
     * parts are views of this data set's arrays.
     */
    public TrainValidation split(double validationFraction) {
        if (!(validationFraction > 0 && validationFraction < 1)) {
            throw new IllegalArgumentException("the validation fraction must lie strictly between 0 and 1, got "
                    + validationFraction);
        }
        int trainSize = (int) Math.floor(size * (1 - validationFraction));
        requireBoth("validation", validationFraction, trainSize);
        return new TrainValidation(range(0, trainSize), range(trainSize, size));
    }

    /**
     * Shuffles the samples with {@code seed} and holds out {@code ceil(n * testFraction)} of them, as scikit-learn's
     * {@code train_test_split}; both parts are copies, their samples in the shuffled order. Not stratified.
     */
    public TrainTest trainTestSplit(double testFraction, long seed) {
        if (!(testFraction > 0 && testFraction < 1)) {
            throw new IllegalArgumentException("the test fraction must lie strictly between 0 and 1, got "
                    + testFraction);
        }
        int trainSize = size - (int) Math.ceil(size * testFraction);
        requireBoth("test", testFraction, trainSize);
        int[] order = new int[size];
        Shuffle.permute(order, seed);
        return new TrainTest(select(order, 0, trainSize), select(order, trainSize, size - trainSize));
    }

    @Override
    public String toString() {
        StringBuilder text = new StringBuilder("Dataset(").append(size).append(" samples");
        inputs.forEach((name, array) -> describe(text, "input", name, array));
        targets.forEach((name, array) -> describe(text, "target", name, array));
        return text.append(')').toString();
    }

    /**
     * A data set's arrays in a model's order, as the training loop consumes them; see {@link Dataset#aligned}.
     * The arrays are the data set's own (or views of them), not copies.
     */
    public static final class Aligned {
        private final List<String> inputNames;
        private final List<String> targetNames;
        private final INDArray[] inputs;
        private final INDArray[] targets;
        private final int size;

        private Aligned(List<String> inputNames, List<String> targetNames, INDArray[] inputs, INDArray[] targets,
                int size) {
            this.inputNames = List.copyOf(inputNames);
            this.targetNames = List.copyOf(targetNames);
            this.inputs = inputs;
            this.targets = targets;
            this.size = size;
        }

        /** The number of samples. */
        public int size() {
            return size;
        }

        /** The model's input names, the order of {@link #inputs()}. */
        public List<String> inputNames() {
            return inputNames;
        }

        /** The model's output names, the order of {@link #targets()}; empty when aligned for prediction. */
        public List<String> targetNames() {
            return targetNames;
        }

        /** The input arrays in the model's order (a new array of the same references on each call). */
        public INDArray[] inputs() {
            return inputs.clone();
        }

        /** The target arrays in the model's order; empty when aligned for prediction. */
        public INDArray[] targets() {
            return targets.clone();
        }

        /** Whether targets were aligned ({@link Dataset#aligned}) or not ({@link Dataset#alignedInputs}). */
        public boolean hasTargets() {
            return targets.length > 0;
        }

        /**
         * Mini-batches of {@code batchSize} samples (the last may be smaller), in order or shuffled per epoch from
         * {@code seed}; allocates the batch buffers now, once.
         */
        public Batches batches(int batchSize, boolean shuffle, long seed) {
            return new Batches(inputs, targets, size, batchSize, shuffle, seed);
        }
    }

    private static Dataset checked(boolean named, Map<String, INDArray> inputs, Map<String, INDArray> targets) {
        if (inputs.isEmpty()) {
            throw new IllegalArgumentException("a data set needs at least one input");
        }
        Map<String, INDArray> checkedInputs = copy(inputs, "input");
        Map<String, INDArray> checkedTargets = copy(targets, "target");
        String firstName = checkedInputs.keySet().iterator().next();
        int size = Samples.count("input", firstName, checkedInputs.get(firstName));
        checkedInputs.forEach((name, array) -> Samples.requireCount("input", name, array, firstName, size));
        checkedTargets.forEach((name, array) -> Samples.requireCount("target", name, array, firstName, size));
        checkedInputs.forEach((name, array) -> Samples.requireFinite("input", name, array));
        checkedTargets.forEach((name, array) -> Samples.requireFinite("target", name, array));
        return new Dataset(named, checkedInputs, checkedTargets, size);
    }

    private static Map<String, INDArray> copy(Map<String, INDArray> arrays, String role) {
        Map<String, INDArray> copy = new LinkedHashMap<>();
        arrays.forEach((name, array) -> {
            if (name == null || name.isBlank()) {
                throw new IllegalArgumentException("an array among the " + role
                        + "s has no name; key each array by its node's name");
            }
            copy.put(name, nonNull(array, role + " '" + name + "'"));
        });
        return Collections.unmodifiableMap(copy);
    }

    private static INDArray nonNull(INDArray array, String what) {
        if (array == null) {
            throw new IllegalArgumentException(what + " is null");
        }
        return array;
    }

    private void requireBoth(String part, double fraction, int trainSize) {
        if (trainSize == 0 || trainSize == size) {
            throw new IllegalArgumentException("a " + part + " fraction of " + fraction + " of " + size
                    + " samples leaves no " + (trainSize == 0 ? "training" : part) + " samples");
        }
    }

    private Dataset range(int from, int to) {
        return new Dataset(named, mapArrays(inputs, array -> array.get(NDArrayIndex.interval(from, to))),
                mapArrays(targets, array -> array.get(NDArrayIndex.interval(from, to))), to - from);
    }

    private Dataset select(int[] order, int start, int count) {
        return new Dataset(named, mapArrays(inputs, array -> gather(array, order, start, count)),
                mapArrays(targets, array -> gather(array, order, start, count)), count);
    }

    private static INDArray gather(INDArray array, int[] order, int start, int count) {
        RowCopier copier = new RowCopier(array, count);
        copier.gather(order, start, count);
        return copier.destination();
    }

    private static Map<String, INDArray> mapArrays(Map<String, INDArray> arrays,
            UnaryOperator<INDArray> function) {
        Map<String, INDArray> result = new LinkedHashMap<>();
        arrays.forEach((name, array) -> result.put(name, function.apply(array)));
        return Collections.unmodifiableMap(result);
    }

    private static void describe(StringBuilder text, String role, String name, INDArray array) {
        long[] sample = Arrays.copyOfRange(array.shape(), 1, array.rank());
        text.append("; ").append(role).append(" '").append(name).append("' ")
                .append(Arrays.toString(sample).replace('[', '(').replace(']', ')'))
                .append(' ').append(array.dataType());
    }
}
