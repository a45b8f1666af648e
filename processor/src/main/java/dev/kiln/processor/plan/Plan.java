package dev.kiln.processor.plan;

import dev.kiln.processor.graph.ModelGraph;
import dev.kiln.processor.graph.Node;
import dev.kiln.processor.graph.Shape;
import dev.kiln.processor.graph.Variable;
import dev.kiln.processor.layer.Call;
import dev.kiln.processor.layer.RuntimeConfig;
import java.util.List;

/**
 * Stage 4's result: everything the emitter writes, decided. The live nodes (those that feed an output) with the
 * parameters each owns and its runtime config, weights in flat-buffer order, activation and gradient buffers with their
 * plan slots, the forward and backward passes as blocks of kernel calls, and how inputs and outputs connect to the base
 * class. There are two backward passes: {@code backward}, which training runs, stops where no trainable weight lies
 * behind; {@code backwardToInputs}, which a custom loop's tape runs, goes on to the inputs' gradients. The buffers only
 * that second pass touches ({@code tapeBuffers}) have slots of their own after training's, bound when a tape runs.
 * Immutable: every list is a copy.
 */
public record Plan(ModelGraph graph, String className, String hash, List<LiveNode> nodes, List<Weight> weights,
        List<Buffer> buffers, int slots, List<Buffer> tapeBuffers, int tapeSlots, List<InputField> inputs,
        List<OutputBinding> outputs, List<Block> forward, List<Block> backward, List<Block> backwardToInputs) {

    public Plan {
        nodes = List.copyOf(nodes);
        weights = List.copyOf(weights);
        buffers = List.copyOf(buffers);
        tapeBuffers = List.copyOf(tapeBuffers);
        inputs = List.copyOf(inputs);
        outputs = List.copyOf(outputs);
        forward = List.copyOf(forward);
        backward = List.copyOf(backward);
        backwardToInputs = List.copyOf(backwardToInputs);
    }

    /**
     * A node that feeds an output: its runtime config, and the parameters it owns (a shared layer's later applications
     * and the nodes of a nested model's second application own none) and how many of them train.
     */
    /**
     * A node that runs: its runtime config, its parameter counts (the owner of shared weights counts them), and the node
     * whose mask its layer reads on its input (null when none reaches it or the layer does not read masks), and the field
 * that holds its value after the forward pass.
     */
    public record LiveNode(Node node, RuntimeConfig config, long params, long trainableParams, String inputMask,
            String valueField) {
    }

    /** A variable: its Keras name, the fields of its weights and gradient (null when frozen), index in the buffer. */
    public record Weight(String name, String field, String gradientField, Variable variable, int index) {
    }

    /** A buffer field bound to {@code slot}, with a per-sample shape (negative axes are run-time dims). */
    public record Buffer(String field, int slot, Shape shape) {
    }

    /**
     * An input node's field, set from the inputs array, and the buffer its gradient goes to in {@code backwardToInputs}
     * (null for integer inputs: ids have no gradient).
     */
    public record InputField(Node node, String field, int index, String gradientField) {
    }

    /**
     * An output: the field holding its value, the gradient field the loss writes into (null when no gradient flows),
     * whether that gradient is taken before the activation (fused softmax/sigmoid and cross-entropy), and the field
     * holding a fused output's logits, from which the loss is taken (null when the layer keeps none).
     */
    public record OutputBinding(Node node, String valueField, String gradientField, boolean fused,
            String logitsField) {
        OutputBinding withLogits(String field) {
            return new OutputBinding(node, valueField, gradientField, fused, field);
        }
    }

    /** A node's statements, headed by its declaration and shapes; {@code note} is a comment with no code. */
    public record Block(String header, List<Call> calls, String note) {
        public Block {
            calls = List.copyOf(calls);
        }
    }
}
