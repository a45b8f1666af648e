package dev.kiln.runtime;

import dev.kiln.dsl.DType;
import dev.kiln.dsl.Initializer;
import dev.kiln.dsl.Loss;
import dev.kiln.dsl.Metric;
import dev.kiln.dsl.Reduction;
import dev.kiln.dsl.summary.SummaryTable;
import dev.kiln.runtime.layer.LayerConfig;
import dev.kiln.runtime.train.Trainable.OutputSpec;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * What a generated model is, as data: its inputs, nodes (in topological order, with their typed layer configs and output
 * shapes), variables (in the order of the flat parameter buffer) and outputs. The processor writes one as a
 * constant into every generated class; the runtime reads it for shape checks, summaries, weight names, the identity of
 * saved files, and the reference interpreter.
 *
 * <p>Shapes leave out the batch axis; {@code -1} is an axis only known at run time (Keras's {@code None}).
 */
public final class ModelSpec {

    /** A model input. */
    public record InputSpec(String name, long[] shape, DType dtype) {
    }

    /**
     * A node: its layer's typed config, the nodes it consumes, its output shape, whose weights it uses (its own name, or
     * the node whose layer it shares), and the number of parameters it owns (0 for a later application of a shared
     * layer, whose weights the first application owns).
     */
    public record NodeSpec(String name, LayerConfig config, List<String> inputs, long[] shape, String weights,
            long params) {
    }

    /** A variable in Keras's layout, named {@code node/kernel}, {@code node/bias}, .... */
    public record VariableSpec(String name, long[] shape, Initializer initializer, boolean trainable) {
        public long length() {
            long n = 1;
            for (long d : shape) {
                n *= d;
            }
            return n;
        }
    }

    /**
     * An output: the training loop's view of it, plus whether its activation is fused with its loss (the loss
     * gradient is then taken with respect to the activation's input).
     */
    public record Output(OutputSpec spec, boolean fused) {
    }

    private final String modelClass;
    private final String modelName;
    private final String architectureHash;
    private final List<InputSpec> inputs;
    private final List<NodeSpec> nodes;
    private final List<VariableSpec> variables;
    private final List<Output> outputs;
    private final Map<String, String> inputMasks;
    private final String displayName;
    private final List<SummaryTable.Nested> nested;

    private ModelSpec(Builder b) {
        this.modelClass = b.modelClass;
        this.modelName = b.modelName;
        this.architectureHash = b.architectureHash;
        this.inputs = List.copyOf(b.inputs);
        this.nodes = List.copyOf(b.nodes);
        this.variables = List.copyOf(b.variables);
        this.outputs = List.copyOf(b.outputs);
        this.inputMasks = Map.copyOf(b.inputMasks);
        this.displayName = b.displayName != null ? b.displayName : b.modelName;
        this.nested = List.copyOf(b.nested);
    }

    public static Builder builder(String modelClass, String modelName, String architectureHash) {
        return new Builder(modelClass, modelName, architectureHash);
    }

    /** The model interface's qualified name. */
    public String modelClass() {
        return modelClass;
    }

    /** The model interface's simple name, as in summaries. */
    public String modelName() {
        return modelName;
    }

    /**
     * The model's name as Keras shows it ({@code Model(..., name=...)}, the first line of {@link KilnModel#summary}):
     * {@code @Model(displayName = ...)}, or the interface's simple name.
     */
    public String displayName() {
        return displayName;
    }

    /** The applications of nested models ({@code @Nested} nodes, and {@code @Shared} ones applying them again). */
    public List<SummaryTable.Nested> nested() {
        return nested;
    }

    /** A hash of the architecture (nodes, wiring, shapes, attributes); saved files carry it. */
    public String architectureHash() {
        return architectureHash;
    }

    public List<InputSpec> inputs() {
        return inputs;
    }

    public List<NodeSpec> nodes() {
        return nodes;
    }

    public NodeSpec node(String name) {
        for (NodeSpec n : nodes) {
            if (n.name().equals(name)) {
                return n;
            }
        }
        throw new IllegalArgumentException("no node '" + name + "' in " + modelName);
    }

    public List<VariableSpec> variables() {
        return variables;
    }

    /** The node whose mask node {@code node}'s layer reads on its input, or null. */
    public String inputMask(String node) {
        return inputMasks.get(node);
    }

    public List<Output> outputs() {
        return outputs;
    }

    /** Builds a spec; used by generated code. */
    public static final class Builder {
        private final String modelClass;
        private final String modelName;
        private final String architectureHash;
        private String displayName;
        private final List<SummaryTable.Nested> nested = new ArrayList<>();
        private final List<InputSpec> inputs = new ArrayList<>();
        private final List<NodeSpec> nodes = new ArrayList<>();
        private final List<VariableSpec> variables = new ArrayList<>();
        private final List<Output> outputs = new ArrayList<>();
        private final Map<String, String> inputMasks = new HashMap<>();

        private Builder(String modelClass, String modelName, String architectureHash) {
            this.modelClass = modelClass;
            this.modelName = modelName;
            this.architectureHash = architectureHash;
        }

        public Builder input(String name, DType dtype, long... shape) {
            inputs.add(new InputSpec(name, shape.clone(), dtype));
            return this;
        }

        /** A node that owns its weights (or has none). */
        public Builder node(String name, LayerConfig config, List<String> inputs, long[] shape, long params) {
            return node(name, config, inputs, shape, name, params);
        }

        /** A node that applies the layer, and weights, of node {@code weights}. */
        public Builder node(String name, LayerConfig config, List<String> inputs, long[] shape, String weights,
                long params) {
            nodes.add(new NodeSpec(name, config, List.copyOf(inputs), shape.clone(), weights, params));
            return this;
        }

        public Builder variable(String name, Initializer initializer, boolean trainable, long... shape) {
            variables.add(new VariableSpec(name, shape.clone(), initializer, trainable));
            return this;
        }

        public Builder output(String name, Loss loss, double lossWeight, boolean fused, Metric... metrics) {
            outputs.add(new Output(new OutputSpec(name, loss, lossWeight, Arrays.asList(metrics)), fused));
            return this;
        }

        /** A Huber output whose delta is not Keras's default 1.0 ({@code @Output(huberDelta = ...)}). */
        public Builder outputHuber(String name, double delta, double lossWeight, Metric... metrics) {
            outputs.add(new Output(new OutputSpec(name, Loss.HUBER, lossWeight, Arrays.asList(metrics), false, delta),
                    false));
            return this;
        }

        /** An output of logits whose cross-entropy is taken from them ({@code @Output(fromLogits = true)}). */
        public Builder outputFromLogits(String name, Loss loss, double lossWeight, Metric... metrics) {
            outputs.add(new Output(new OutputSpec(name, loss, lossWeight, Arrays.asList(metrics), true), false));
            return this;
        }

        /** Reduces the loss of the output added last by {@code reduction} ({@code @Output(reduction = ...)}). */
        public Builder reduction(Reduction reduction) {
            Output last = outputs.remove(outputs.size() - 1);
            outputs.add(new Output(last.spec().withReduction(reduction), last.fused()));
            return this;
        }

        /** The model's name in summaries, when {@code @Model(displayName = ...)} sets one. */
        public Builder displayName(String name) {
            this.displayName = name;
            return this;
        }

        /**
         * An application of a nested model: node {@code name} runs model {@code modelName} on {@code inputs}; its
         * layers are the nodes {@code members}, named {@code innerNames} inside it, and {@code outputs} (among the
         * members) are its outputs, in order.
         */
        public Builder nested(String name, String modelName, List<String> inputs, List<String> members,
                List<String> innerNames, List<String> outputs) {
            nested.add(new SummaryTable.Nested(name, modelName, inputs, members, innerNames, outputs));
            return this;
        }

        /** Node {@code node}'s layer reads the mask that node {@code source} puts on its input (padding to skip). */
        public Builder inputMask(String node, String source) {
            inputMasks.put(node, source);
            return this;
        }

        public ModelSpec build() {
            return new ModelSpec(this);
        }
    }
}
