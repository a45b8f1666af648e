package dev.kiln.runtime;

import dev.kiln.runtime.ModelSpec.VariableSpec;
import dev.kiln.runtime.io.Checkpoint;
import dev.kiln.runtime.io.CheckpointFileException;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * What {@link KilnModel#restore} checks in a checkpoint that read cleanly (its checksum matched) before it becomes a
 * model: every problem is a {@link CheckpointFileException} naming the file, found at load time rather than at the
 * first {@code compile} or {@code predict}.
 */
final class LoadCheck {
    private final Path file;
    private final Checkpoint checkpoint;

    LoadCheck(Path file, Checkpoint checkpoint) {
        this.file = file;
        this.checkpoint = checkpoint;
    }

    /** The model's data type from the file's {@code dtype} metadata (absent in the first files: float32). */
    DataType dataType() throws CheckpointFileException {
        String name = checkpoint.metadata().getOrDefault("dtype", "FLOAT");
        if (!name.equals("FLOAT") && !name.equals("DOUBLE")) {
            throw new CheckpointFileException(file, "gives the model's data type (metadata 'dtype') as '" + name
                    + "'; a Kiln model is FLOAT or DOUBLE");
        }
        return DataType.valueOf(name);
    }

    /** Every variable of {@code spec} is there in its shape, nothing else is, and every value is finite. */
    void weights(ModelSpec spec, boolean allowNonFinite) throws CheckpointFileException {
        List<VariableSpec> variables = spec.variables();
        Map<String, INDArray> weights = checkpoint.weights();
        for (VariableSpec v : variables) {
            INDArray w = weights.get(v.name());
            if (w == null) {
                throw new CheckpointFileException(file, "has no weight '" + v.name() + "' (shape "
                        + Arrays.toString(v.shape()) + "), which " + spec.modelName() + " needs; the file holds "
                        + weights.keySet());
            }
            if (!Arrays.equals(w.shape(), v.shape())) {
                throw new CheckpointFileException(file, "holds weight '" + v.name() + "' in shape "
                        + Arrays.toString(w.shape()) + ", but " + spec.modelName() + " needs "
                        + Arrays.toString(v.shape()));
            }
            if (!w.dataType().isFPType()) {
                throw new CheckpointFileException(file, "holds weight '" + v.name() + "' as " + w.dataType()
                        + "; weights are floating point");
            }
            if (!allowNonFinite) {
                finite(w, "weight '" + v.name() + "'");
            }
        }
        for (String name : weights.keySet()) {
            if (variables.stream().noneMatch(v -> v.name().equals(name))) {
                throw new CheckpointFileException(file, "holds weight '" + name + "', which " + spec.modelName()
                        + " does not have; its variables are "
                        + variables.stream().map(VariableSpec::name).collect(Collectors.toList()));
            }
        }
    }

    /**
     * The optimizer state fits the weights: {@code iterations} a whole count of at least 0, every slot floating point
     * and as long as the trainable weights (or one value, as Nadam's), finite; and no state without an optimizer.
     * Whether the slots are the ones the optimizer has is known only at {@code compile}.
     */
    void optimizerState(long trainableLength, boolean allowNonFinite) throws CheckpointFileException {
        Map<String, INDArray> state = checkpoint.optimizerState();
        if (checkpoint.optimizerConfig() == null) {
            if (!state.isEmpty()) {
                throw new CheckpointFileException(file, "holds optimizer state " + state.keySet()
                        + " but no optimizer configuration");
            }
            return;
        }
        INDArray iterations = state.get("iterations");
        if (iterations == null) {
            throw new CheckpointFileException(file, "holds no 'iterations' in its optimizer state (of "
                    + checkpoint.optimizerConfig() + ")");
        }
        if (iterations.length() != 1 || !iterations.dataType().isIntType() || iterations.getLong(0) < 0) {
            throw new CheckpointFileException(file, "holds optimizer state 'iterations' as " + describe(iterations)
                    + "; it is one whole number of at least 0");
        }
        for (Map.Entry<String, INDArray> entry : state.entrySet()) {
            String what = "optimizer state '" + entry.getKey() + "'";
            INDArray slot = entry.getValue();
            if (entry.getKey().equals("iterations")) {
                continue;
            }
            if (!slot.dataType().isFPType() || slot.length() != trainableLength && slot.length() != 1) {
                throw new CheckpointFileException(file, "holds " + what + " as " + describe(slot) + "; a slot of "
                        + checkpoint.optimizerConfig() + " is floating point and holds " + trainableLength
                        + " values (one per trainable weight) or 1");
            }
            if (!allowNonFinite) {
                finite(slot, what);
            }
        }
    }

    private void finite(INDArray array, String what) throws CheckpointFileException {
        if (array.length() == 0 || !array.isNaN().any() && !array.isInfinite().any()) {
            return;
        }
        double[] values = array.castTo(DataType.DOUBLE).reshape(array.length()).toDoubleVector();
        int bad = 0;
        int first = -1;
        for (int i = 0; i < values.length; i++) {
            if (!Double.isFinite(values[i])) {
                bad++;
                first = first < 0 ? i : first;
            }
        }
        throw new CheckpointFileException(file, "holds " + bad + " non-finite value(s) in " + what + " (the first, "
                + values[first] + ", at flat index " + first + "): the training that saved it diverged. Load it with"
                + " LoadOption.ALLOW_NON_FINITE to inspect it anyway");
    }

    private static String describe(INDArray array) {
        return array.dataType() + " of shape " + Arrays.toString(array.shape());
    }
}
