package dev.kiln.processor.layer;

import dev.kiln.processor.graph.Node;
import dev.kiln.processor.graph.Shape;
import dev.kiln.processor.layer.Call.Kernel;
import dev.kiln.processor.layer.Call.When;

/**
 * What a layer's lowering may ask of the planner: the fields that hold values and gradients, new buffers, whether a
 * gradient is needed or must be accumulated, the node's weights, and the calls it adds to its block.
 */
public interface Lowerer {
    /** The field holding a node's output (or a value a lowering stored with {@link #setValue}). */
    String value(String node);

    void setValue(String key, String field);

    /**
     * The field of the mask on {@code node}'s output, one entry per step (1 keeps the step, 0 skips it), or null when
     * its output has none. A layer that produces a mask writes it into {@code mask(node.name())}.
     */
    String mask(String node);

    /** The shape of one sample of {@code node}'s output (a window layer's lowering needs its input's). */
    Shape shape(String node);

    /** A new buffer field of one sample's {@code shape}. */
    String buffer(String suggestion, Shape shape);

    /** The field of {@code dLoss/dNode}, created on first use. */
    String gradient(String node);

    /**
     * The field that holds part {@code part} of {@code node} (a value its layer gives besides its output, e.g. an LSTM's
     * final state {@code h}), for the layer's forward pass to write; null when no node that runs selects it.
     */
    String partValue(Node node, String part);

    /**
     * The field of the gradient with respect to part {@code part} of {@code node}, complete when the layer's backward
     * pass runs, which reads it; null when no gradient reaches the part.
     */
    String partGradient(Node node, String part);

    /**
     * Whether the gradient with respect to {@code node}'s own output is written before its backward pass runs: false
     * when only its parts are consumed (an encoder whose final states alone feed the decoder), and the layer's
     * backward pass must then take no gradient from its output.
     */
    boolean receivesGradient(String node);

    /** Whether the gradient with respect to {@code node}'s output must be computed. */
    boolean needsGradient(String node);

    /** Whether {@code node} is an output whose activation is fused with its loss. */
    boolean fused(String node);

    /**
     * Registers the field that holds a {@link #fused} output's logits (its values before the softmax or sigmoid),
     * kept intact by the forward pass: the loss is then taken from them, stably and without clipping, as Keras's
     * TensorFlow backend takes it from the logits it keeps on a softmax or sigmoid output. A fused output whose
     * layer registers none has its loss taken from its clipped probabilities.
     */
    default void setLogits(String node, String field) {
        setValue(node + "/logits", field);
    }

    /** True when the next contribution to {@code dNode} must add to what is there; the first one writes. */
    boolean accumulate(String node);

    /** The node's weight {@code suffix} (its own, or the one it shares), or null when the layer has none. */
    WeightFields weight(Node node, String suffix);

    /** True when a gradient was already written into this weight's gradient (a shared layer's later application). */
    boolean accumulateWeight(WeightFields w);

    void call(When when, Kernel target, String method, String comment, Arg... args);

    default void call(Kernel target, String method, String comment, Arg... args) {
        call(When.ALWAYS, target, method, comment, args);
    }
}
