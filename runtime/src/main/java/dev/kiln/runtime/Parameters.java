package dev.kiln.runtime;

import dev.kiln.runtime.ModelSpec.VariableSpec;
import dev.kiln.runtime.init.Initializers;
import dev.kiln.runtime.layer.LayerConfig;
import java.util.Collections;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;
import java.util.SplittableRandom;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.indexing.NDArrayIndex;

/**
 * All of a model's weights in one flat buffer, and their gradients in a twin, with a view per variable in Keras's
 * layout. Trainable variables come first, so the optimizer updates one contiguous prefix in a few native ops.
 */
public final class Parameters {
    private final List<VariableSpec> specs;
    private final INDArray values;
    private final INDArray gradients;
    private final INDArray[] valueViews;
    private final INDArray[] gradientViews;
    private final long trainableLength;
    /** Variables frozen at run time (fine-tuning), by name, with the values they keep; shared by the views. */
    private final Map<String, INDArray> frozen;
    /** The trainable prefixes of {@link #values} and {@link #gradients}, made once: a view costs microseconds. */
    private final INDArray trainableValues;
    private final INDArray trainableGradients;

    Parameters(List<VariableSpec> specs, DataType dtype, SplittableRandom random) {
        this.specs = specs;
        this.frozen = new LinkedHashMap<>();
        long total = 0;
        long trainable = 0;
        boolean frozenSeen = false;
        for (VariableSpec v : specs) {
            if (v.trainable() && frozenSeen) {
                throw new AssertionError("trainable variables must precede frozen ones: " + v.name());
            }
            frozenSeen |= !v.trainable();
            total += v.length();
            trainable += v.trainable() ? v.length() : 0;
        }
        this.trainableLength = trainable;
        this.values = Memory.zeros(dtype, Math.max(total, 1));
        this.gradients = Memory.zeros(dtype, Math.max(total, 1));
        this.valueViews = new INDArray[specs.size()];
        this.gradientViews = new INDArray[specs.size()];
        long offset = 0;
        for (int i = 0; i < specs.size(); i++) {
            VariableSpec v = specs.get(i);
            valueViews[i] = view(values, offset, v);
            gradientViews[i] = view(gradients, offset, v);
            valueViews[i].assign(Nd4j.create(Initializers.draw(v.initializer(), v.shape(), random), v.shape(), 'c')
                    .castTo(dtype));
            offset += v.length();
        }
        this.trainableValues = values.get(NDArrayIndex.interval(0, trainableLength));
        this.trainableGradients = gradients.get(NDArrayIndex.interval(0, trainableLength));
    }

    /** New views over {@code shared}'s buffers: one thread's predict reads the weights through views of its own. */
    private Parameters(Parameters shared) {
        this(shared.specs, shared.values, shared.gradients, shared.frozen, shared.trainableLength);
    }

    /** Views of {@code specs}, laid out one after another from the start of {@code values} and {@code gradients}. */
    private Parameters(List<VariableSpec> specs, INDArray values, INDArray gradients, Map<String, INDArray> frozen,
            long trainableLength) {
        this.specs = specs;
        this.frozen = frozen;
        this.values = values;
        this.gradients = gradients;
        this.trainableLength = trainableLength;
        this.valueViews = new INDArray[specs.size()];
        this.gradientViews = new INDArray[specs.size()];
        long offset = 0;
        for (int i = 0; i < specs.size(); i++) {
            VariableSpec v = specs.get(i);
            valueViews[i] = view(values, offset, v);
            gradientViews[i] = view(gradients, offset, v);
            offset += v.length();
        }
        this.trainableValues = values.get(NDArrayIndex.interval(0, trainableLength));
        this.trainableGradients = gradients.get(NDArrayIndex.interval(0, trainableLength));
    }

    /** The same weights and gradients (not copies) through new view objects. */
    Parameters sharedViews() {
        return new Parameters(this);
    }

    /**
     * The parameters of a model whose variables {@code specs} are this model's {@code prefix + name}: the same memory,
     * not a copy. They must be one block of this buffer, in the same order (a nested model's trainable weights are);
     * {@code model} and {@code owner} name the two models in the messages.
     *
     * @throws IllegalArgumentException when a variable is missing here, has another shape or trainability, or the
     *     variables are not one block (a nested model with non-trainable variables, as BatchNormalization's moving
     *     statistics: this buffer keeps the trainable ones first)
     */
    Parameters borrowedBy(List<VariableSpec> specs, String prefix, String model, String owner) {
        Map<String, Integer> index = new HashMap<>();
        long[] offsets = new long[this.specs.size()];
        long offset = 0;
        for (int i = 0; i < this.specs.size(); i++) {
            index.put(this.specs.get(i).name(), i);
            offsets[i] = offset;
            offset += this.specs.get(i).length();
        }
        long start = -1;
        long length = 0;
        long trainable = 0;
        for (VariableSpec v : specs) {
            Integer i = index.get(prefix + v.name());
            if (i == null) {
                throw new IllegalArgumentException(model + "'s variable '" + v.name() + "' is not in " + owner + " as '"
                        + prefix + v.name() + "'");
            }
            VariableSpec mine = this.specs.get(i);
            if (!java.util.Arrays.equals(mine.shape(), v.shape()) || mine.trainable() != v.trainable()) {
                throw new IllegalArgumentException(model + "'s variable '" + v.name() + "' has shape "
                        + java.util.Arrays.toString(v.shape()) + (v.trainable() ? "" : ", not trainable") + ", but "
                        + owner + "'s '" + mine.name() + "' has shape " + java.util.Arrays.toString(mine.shape())
                        + (mine.trainable() ? "" : ", not trainable"));
            }
            start = start < 0 ? offsets[i] : start;
            if (offsets[i] != start + length) {
                throw new IllegalArgumentException(model + "'s variables are not one block of " + owner + "'s"
                        + " weights ('" + mine.name() + "' is apart: a nested model with non-trainable variables, as"
                        + " BatchNormalization's moving statistics, is split between " + owner + "'s trainable and"
                        + " non-trainable weights); predictNodes on " + owner + " gives its values instead");
            }
            length += v.length();
            trainable += v.trainable() ? v.length() : 0;
        }
        if (specs.isEmpty()) {
            return new Parameters(specs, Memory.zeros(values.dataType(), 1), Memory.zeros(values.dataType(), 1),
                    new LinkedHashMap<>(), 0);
        }
        return new Parameters(specs, values.get(NDArrayIndex.interval(start, start + length)),
                gradients.get(NDArrayIndex.interval(start, start + length)), new LinkedHashMap<>(), trainable);
    }

    /**
     * Lets each layer adjust the weights it owns after they are drawn ({@link LayerConfig#initialize}); a shared
     * layer's weights are adjusted once, by the first node that uses them.
     */
    void initializeLayers(List<ModelSpec.NodeSpec> nodes) {
        Set<String> owners = new HashSet<>();
        Set<String> all = new HashSet<>();
        nodes.forEach(n -> all.add(n.weights()));
        for (ModelSpec.NodeSpec n : nodes) {
            if (n.weights() == null || !owners.add(n.weights())) {
                continue;
            }
            Map<String, INDArray> mine = new HashMap<>();
            String prefix = n.weights() + "/";
            for (int i = 0; i < specs.size(); i++) {
                String name = specs.get(i).name();
                if (name.startsWith(prefix) && owner(name, all).equals(n.weights())) {
                    mine.put(name.substring(prefix.length()), valueViews[i]);
                }
            }
            if (!mine.isEmpty()) {
                n.config().initialize(mine);
            }
        }
    }

    /**
     * The node that owns variable {@code name}: the longest node name before one of its slashes, since a nested
     * model's nodes are named {@code outer/inner} and a wrapper's weights {@code node/forward_lstm/kernel}.
     */
    private static String owner(String name, Set<String> owners) {
        for (int i = name.lastIndexOf('/'); i > 0; i = name.lastIndexOf('/', i - 1)) {
            if (owners.contains(name.substring(0, i))) {
                return name.substring(0, i);
            }
        }
        return "";
    }

    /**
     * Freezes ({@code false}) or unfreezes the trainable variables of {@code node} for the steps that follow; declared
     * frozen ones stay frozen. An {@link IllegalArgumentException} names a node without weights, or one declared
     * frozen that is asked to train; {@code model} names the model in it.
     */
    void setTrainable(String node, boolean trainable, String model) {
        boolean found = false;
        for (int i = 0; i < specs.size(); i++) {
            VariableSpec v = specs.get(i);
            if (!v.name().startsWith(node + "/")) {
                continue;
            }
            found = true;
            if (!v.trainable()) {
                if (trainable) {
                    throw new IllegalArgumentException("'" + node + "' is declared with trainable = false; change"
                            + " the declaration to train it");
                }
            } else if (trainable) {
                frozen.remove(v.name());
            } else {
                frozen.put(v.name(), valueViews[i].dup());
            }
        }
        if (!found) {
            throw new IllegalArgumentException(model + " has no node '" + node + "' with weights; nodes with weights: "
                    + specs.stream().map(v -> v.name().substring(0, v.name().lastIndexOf('/'))).distinct()
                            .collect(Collectors.toList()));
        }
    }

    /** The variables frozen at run time, by name. */
    Set<String> frozenNames() {
        return Collections.unmodifiableSet(frozen.keySet());
    }

    /** Zeroes the frozen variables' gradients: they have no say in clipping norms and no effect on a step. */
    void zeroFrozenGradients() {
        for (int i = 0; !frozen.isEmpty() && i < specs.size(); i++) {
            if (frozen.containsKey(specs.get(i).name())) {
                gradientViews[i].assign(0);
            }
        }
    }

    /** Puts the frozen variables back to the values they keep, after a step (decay and momentum must not move them). */
    void restoreFrozen() {
        for (int i = 0; !frozen.isEmpty() && i < specs.size(); i++) {
            INDArray keep = frozen.get(specs.get(i).name());
            if (keep != null) {
                valueViews[i].assign(keep);
            }
        }
    }

    private static INDArray view(INDArray flat, long offset, VariableSpec v) {
        return flat.get(NDArrayIndex.interval(offset, offset + v.length())).reshape('c', v.shape());
    }

    public List<VariableSpec> specs() {
        return specs;
    }

    /** Variable {@code i}'s weights, a view into the flat buffer. */
    public INDArray value(int i) {
        return valueViews[i];
    }

    /** Variable {@code i}'s gradient, a view into the flat gradient buffer. */
    public INDArray gradient(int i) {
        return gradientViews[i];
    }

    /** The flat buffer of all weights. */
    public INDArray values() {
        return values;
    }

    /** The flat buffer of all gradients. */
    public INDArray gradients() {
        return gradients;
    }

    /** The trainable prefix of the weights, what the optimizer updates. */
    public INDArray trainableValues() {
        return trainableValues;
    }

    public INDArray trainableGradients() {
        return trainableGradients;
    }

    /** Lengths of the trainable variables, in buffer order. */
    public long[] trainableSizes() {
        return specs.stream().filter(VariableSpec::trainable).mapToLong(VariableSpec::length).toArray();
    }

    public long count() {
        return specs.stream().mapToLong(VariableSpec::length).sum();
    }

    public long trainableCount() {
        return trainableLength;
    }
}
