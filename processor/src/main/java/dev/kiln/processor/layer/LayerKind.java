package dev.kiln.processor.layer;

import dev.kiln.dsl.Activation;
import dev.kiln.processor.Report;
import dev.kiln.processor.graph.Node;
import dev.kiln.processor.graph.Shape;
import dev.kiln.processor.graph.Variable;
import dev.kiln.processor.read.LayerDecl;
import dev.kiln.processor.read.NodeDecl;
import java.util.List;

/**
 * Everything the compiler knows about one layer annotation, in one place: it decodes the annotation once into a typed
 * attribute record {@code A}, and from that record says which attribute values are legal, how many inputs the layer
 * takes, its output shape (Keras's {@code compute_output_shape}), its weights, its cost, the activation its output ends
 * in, how it becomes kernel calls, and which runtime config describes it in the generated {@code SPEC}.
 *
 * <p>A kind is registered with {@code @AutoService(LayerKind.class)}: {@link LayerKinds} finds it; no list or switch
 * anywhere names it. The stages reach a kind through the {@link Layer} that binds it to one node's attributes.
 *
 * @param <A> the typed attributes
 */
public abstract class LayerKind<A> {
    /** The annotation's simple name, e.g. {@code Dense}. */
    public abstract String annotation();

    /** Keras's class name for summaries and reports, e.g. {@code Dense}. */
    public String kerasName() {
        return annotation();
    }

    /** The attributes of one annotation, typed; called once per node. */
    protected abstract A decode(LayerDecl decl);

    /** The fewest inputs the layer takes. */
    protected int minInputs(A a) {
        return 1;
    }

    /** The most inputs the layer takes. */
    protected int maxInputs(A a) {
        return 1;
    }

    /** Whether the layer takes int32 ids (an embedding) rather than float values. */
    protected boolean takesIds(A a) {
        return false;
    }

    /**
     * What the layer does with a mask on its input (Keras's {@code supports_masking} and {@code compute_mask}): a
     * mask marks the steps of a sequence to skip, e.g. the padding ids of an {@code Embedding(maskZero = true)}.
     */
    public enum MaskUse {
        /** The layer cannot take a mask: one reaching it is a compile-time error. */
        NONE,
        /** The layer works step by step and its output keeps the input's mask (Dense, activations, Dropout). */
        PASSES,
        /** The layer skips the masked steps (a recurrent layer); its output has no mask. */
        CONSUMES,
        /** The layer skips the masked steps and its output, one per step, keeps the mask (returnSequences). */
        CONSUMES_AND_PASSES
    }

    /** What the layer does with a mask on its input. */
    protected MaskUse maskUse(A a) {
        return MaskUse.NONE;
    }

    /** Whether the layer puts a mask of its own on its output, one entry per step (the output's first axis). */
    protected boolean producesMask(A a) {
        return false;
    }

    /** Reports illegal attribute values on the attribute itself. */
    protected void validate(NodeDecl node, A a, Report report) {
    }

    /** The output shape, or null after reporting why there is none. Only called with valid attributes and inputs. */
    protected abstract Shape outputShape(NodeDecl node, A a, List<Shape> inputs, Report report);

    /**
     * The values the layer gives besides its output (Keras's further outputs), by name in Keras's order, each with one
     * sample's shape: an LSTM's final states {@code h} and {@code c} with {@code returnState}. A {@code @Part} node
     * selects one, and the layer's lowering writes it ({@link Lowerer#partValue}). None by default.
     */
    protected java.util.Map<String, Shape> parts(A a, List<Shape> inputs) {
        return java.util.Map.of();
    }

    /**
     * The attribute setting that would give the layer its parts when it has none, e.g. {@code returnState = true}, for
     * the diagnostic of a {@code @Part} on it; null for a kind that never has parts.
     */
    protected String partsSetting(A a) {
        return null;
    }

    /**
     * The layer's states, by name in Keras's order, each with one sample's shape: what {@code @InitialState}
     * parameters feed (Keras's {@code initial_state}), an LSTM's {@code h} and {@code c}. None by default: the layer
     * takes no initial state.
     */
    protected java.util.Map<String, Shape> states(A a) {
        return java.util.Map.of();
    }

    /** The weights the layer owns, in the order of its Keras variables. */
    protected List<Variable> variables(A a, List<Shape> inputs) {
        return List.of();
    }

    /** Multiply-adds per sample of the forward pass. */
    protected long forwardMacs(A a, List<Shape> inputs, Shape output) {
        return 0;
    }

    /**
     * The activation the layer's output ends in, which decides whether a cross-entropy fits it and whether the loss can
     * be fused with it; null for a layer that passes its input's values on unchanged in inference (Dropout).
     * {@code output} is the node's output shape (one sample), for layers whose answer depends on an axis (Softmax).
     */
    protected Activation outputActivation(A a, Shape output) {
        return Activation.LINEAR;
    }

    /** The forward pass's kernel calls. */
    protected abstract void forward(Node node, A a, Lowerer c);

    /** The backward pass's kernel calls; only called when a gradient reaches the node. */
    protected abstract void backward(Node node, A a, Lowerer c);

    /** The runtime config record that describes the node in the generated {@code SPEC}. */
    protected abstract RuntimeConfig config(A a, LayerDecl decl);

    /**
     * A small, valid use of the layer: its annotation as a user writes it and the shapes of the inputs it takes there.
     * The layer contract test compiles every kind's example into a model, gradient-checks it and matches it against
     * the layer's reference; null only for {@code @Input}, which has no inputs.
     */
    public abstract Example example();

    /**
     * {@code usage} applied to inputs of {@code inputShapes} (one sample each, without the batch axis); with
     * {@code ids}, to int32 inputs of ids below {@link #IDS} fed to it directly; with {@code consumer}, followed by
     * that layer (one that takes the example's mask).
     */
    public record Example(String usage, List<long[]> inputShapes, boolean ids, String consumer) {
        /** Examples that take ids take ids from 0 to {@code IDS - 1}. */
        public static final int IDS = 3;

        public Example {
            inputShapes = List.copyOf(inputShapes);
        }

        public static Example of(String usage, long[]... inputShapes) {
            return new Example(usage, List.of(inputShapes), false, null);
        }

        public static Example ofIds(String usage, long[]... inputShapes) {
            return new Example(usage, List.of(inputShapes), true, null);
        }

        /** This example followed by {@code layer}, e.g. a recurrent layer that consumes its mask. */
        public Example then(String layer) {
            return new Example(usage, inputShapes, ids, layer);
        }
    }

    /** This kind bound to {@code decl}'s attributes. */
    public final Layer<A> bind(LayerDecl decl) {
        return new Layer<>(this, decode(decl), decl);
    }
}
