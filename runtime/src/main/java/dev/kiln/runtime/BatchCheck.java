package dev.kiln.runtime;

import dev.kiln.dsl.Loss;
import dev.kiln.runtime.ModelSpec.InputSpec;
import dev.kiln.runtime.loss.Losses;
import dev.kiln.runtime.train.Trainable.OutputSpec;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.stream.Collectors;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * Checks one batch against a model before the generated code sees it, so that every mistake is named by its input or
 * output: a missing or null array, a wrong shape, an empty batch, batch sizes that disagree, targets that do not fit
 * their output. After a step whose loss or gradients are not finite, {@link #firstNonFinite} finds the value to blame;
 * a clean step scans nothing.
 */
final class BatchCheck {
    private final ModelSpec spec;
    private final DataType dtype;
    private final List<OutputSpec> outputs;
    /** Each output's sample shape, looked up once. */
    private final long[][] outputShapes;

    /** Inputs as the generated code takes them: C-ordered, in the model's dtype; the dimensions the buffers need. */
    record Batch(INDArray[] arrays, long[] dims) {
        long size() {
            return dims[0];
        }
    }

    BatchCheck(ModelSpec spec, DataType dtype, List<OutputSpec> outputs) {
        this.spec = spec;
        this.dtype = dtype;
        this.outputs = outputs;
        this.outputShapes = outputs.stream().map(o -> spec.node(o.name()).shape()).toArray(long[][]::new);
    }

    /**
     * Checks {@code inputs} (ordered as the spec's) and brings them into the form the generated code reads.
     * {@code dims[0]} is the batch size, {@code dims[k]} the length of the k-th open ({@code None}) input axis.
     */
    Batch inputs(INDArray[] inputs) {
        List<InputSpec> specs = spec.inputs();
        if (inputs == null) {
            throw new IllegalArgumentException("the inputs are null; " + spec.modelName() + " takes " + names());
        }
        if (inputs.length != specs.size()) {
            throw new IllegalArgumentException(spec.modelName() + " takes " + specs.size() + " input(s) " + names()
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
                throw new IllegalArgumentException("input '" + in.name() + "' must have shape " + KilnModel.keras(in.shape())
                        + " (batch first), but was given an array of shape " + Arrays.toString(shape));
            }
            if (shape[0] == 0) {
                throw new IllegalArgumentException("input '" + in.name() + "' holds no sample (shape "
                        + Arrays.toString(shape) + "); a batch needs at least one");
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
            DataType wanted = in.dtype().ids() ? x.dataType() : dtype;
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
        return new Batch(cast, dims);
    }

    /** Checks {@code targets} (ordered as the outputs) against a batch of {@code batch} samples; C-ordered copies. */
    INDArray[] targets(INDArray[] targets, long batch) {
        if (targets == null) {
            throw new IllegalArgumentException("the targets are null; " + spec.modelName() + " needs targets for "
                    + outputNames());
        }
        if (targets.length != outputs.size()) {
            throw new IllegalArgumentException(spec.modelName() + " has " + outputs.size() + " output(s) "
                    + outputNames() + " but was given " + targets.length + " target array(s)");
        }
        INDArray[] y = targets.clone();
        for (int i = 0; i < y.length; i++) {
            OutputSpec o = outputs.get(i);
            if (o.loss() == Loss.NONE) {
                continue;
            }
            if (y[i] == null) {
                throw new IllegalArgumentException("targets for output '" + o.name() + "' are null");
            }
            if (y[i].rank() == 0 || y[i].size(0) != batch) {
                throw new IllegalArgumentException("targets for output '" + o.name() + "' have "
                        + (y[i].rank() == 0 ? "no batch axis" : y[i].size(0) + " samples") + " but the inputs have "
                        + batch);
            }
            targetShape(o, outputShapes[i], y[i].shape(), batch);
            if (y[i].dataType() != dtype || y[i].isView() || y[i].ordering() != 'c') {
                y[i] = y[i].castTo(dtype).dup('c');
            }
        }
        return y;
    }

    /**
     * Targets have their output's shape (a trailing axis of 1 may be left out, as Keras allows), or for a sparse loss
     * are class ids of shape {@code (batch)} or {@code (batch, 1)}. The loss kernels read targets as flat buffers, so a
     * wrong shape would otherwise be read out of bounds, or silently misread.
     */
    private static void targetShape(OutputSpec o, long[] shape, long[] given, long batch) {
        long[] expected = new long[shape.length + 1];
        expected[0] = batch;
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
                    ? "class ids of shape " + KilnModel.keras(Arrays.copyOf(shape, shape.length - 1)) + " or "
                            + KilnModel.keras(lastIsOne(shape)) + " for " + o.loss()
                    : "of its shape " + KilnModel.keras(shape)) + ", but were given an array of shape "
                    + Arrays.toString(given)
                    + (sparse && given.length == expected.length && given[given.length - 1] == expected[expected.length - 1]
                            ? "; for one-hot targets use CATEGORICAL_CROSSENTROPY" : ""));
        }
    }

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

    private static long[] lastIsOne(long[] shape) {
        long[] out = shape.clone();
        out[out.length - 1] = 1;
        return out;
    }

    /**
     * The first NaN or infinity in the inputs, then in the targets of outputs with a loss, as
     * {@code input 'pixels' holds NaN at sample 3 (element [3, 5])}; null when all are finite. Arrays that are not
     * there (a target the model has no loss for) are skipped.
     */
    String firstNonFinite(INDArray[] inputs, INDArray[] targets) {
        for (int i = 0; inputs != null && i < inputs.length && i < spec.inputs().size(); i++) {
            String found = nonFinite(inputs[i]);
            if (found != null) {
                return "input '" + spec.inputs().get(i).name() + "' holds " + found;
            }
        }
        for (int i = 0; targets != null && i < targets.length && i < outputs.size(); i++) {
            if (outputs.get(i).loss() == Loss.NONE) {
                continue;
            }
            String found = nonFinite(targets[i]);
            if (found != null) {
                return "the target for output '" + outputs.get(i).name() + "' holds " + found;
            }
        }
        return null;
    }

    /** {@code NaN at sample 3 (element [3, 5])} for the first non-finite element of {@code a}, or null. */
    private static String nonFinite(INDArray a) {
        if (a == null || a.isEmpty() || !a.dataType().isFPType()) {
            return null;
        }
        double[] values = a.castTo(DataType.DOUBLE).dup('c').data().asDouble();
        for (int i = 0; i < values.length; i++) {
            if (!Double.isFinite(values[i])) {
                long[] shape = a.shape();
                long[] index = new long[shape.length];
                long rest = i;
                for (int d = shape.length - 1; d >= 0; d--) {
                    index[d] = shape[d] == 0 ? 0 : rest % shape[d];
                    rest = shape[d] == 0 ? rest : rest / shape[d];
                }
                return values[i] + " at sample " + (shape.length == 0 ? 0 : index[0]) + " (element "
                        + Arrays.toString(index) + ")";
            }
        }
        return null;
    }

    private List<String> names() {
        return spec.inputs().stream().map(InputSpec::name).collect(Collectors.toList());
    }

    private List<String> outputNames() {
        return outputs.stream().map(OutputSpec::name).collect(Collectors.toList());
    }
}
