package dev.kiln.processor.layer;

import static dev.kiln.processor.layer.Arg.bool;
import static dev.kiln.processor.layer.Arg.ref;

import dev.kiln.processor.Report;
import dev.kiln.processor.graph.Node;
import dev.kiln.processor.graph.Shape;
import dev.kiln.processor.read.LayerDecl;
import dev.kiln.processor.read.NodeDecl;
import java.util.List;

/**
 * {@code @Part}: one of the further values of the node it consumes, selected by name. The graph builder resolves the
 * name against the consumed node's parts ({@link LayerKind#parts}) and gives the node its shape; this kind only says how
 * the value is had. A layer's part (an LSTM's final state) is written by the layer's own lowering, straight into this
 * node's buffer, and its gradient read there: the part node itself runs no code. A nested model's part is another of
 * its {@code @Output}s, inlined as a node of its own ({@code encoder/zLogVar}), which the part node consumes and copies.
 * Not registered with AutoService: {@code @Part} wires a model rather than being a layer, as {@code @Nested} does.
 */
public final class PartKind extends LayerKind<PartKind.Attributes> {
    /** The kind of every {@code @Part} node. */
    public static final PartKind INSTANCE = new PartKind();

    /**
     * The part's name, which output of its node's call it is in Keras ({@code 1 + k} for the node's {@code k}-th part:
     * an LSTM's {@code c} is output 2), and whether the node copies a nested model's inlined output (its input) rather
     * than taking a value its input's layer writes. The output is 0 until the graph builder resolves the part.
     */
    public record Attributes(String part, int output, boolean nestedOutput) {
    }

    private PartKind() {
    }

    @Override
    public String annotation() {
        return "Part";
    }

    @Override
    public Example example() {
        return null; // it needs a node with parts: PartTest covers it
    }

    @Override
    protected Attributes decode(LayerDecl d) {
        return new Attributes(d.constant("value"), 0, false);
    }

    /**
     * The part node {@code decl} declares, resolved: output {@code output} of its node's call, a copy of a nested
     * model's output (inlined as its input) when {@code nestedOutput}.
     */
    public Layer<Attributes> resolved(LayerDecl decl, int output, boolean nestedOutput) {
        return new Layer<>(this, new Attributes(decl.constant("value"), output, nestedOutput), decl);
    }

    /** The name of the part {@code layer} (a {@code @Part} node's) selects. */
    public static String part(Layer<?> layer) {
        return ((Attributes) layer.attributes()).part();
    }

    @Override
    protected Shape outputShape(NodeDecl node, Attributes a, List<Shape> inputs, Report report) {
        throw new AssertionError("a part's shape is its source's part's, which the graph builder resolves: "
                + node.name());
    }

    /** A nested model's output keeps its mask; a layer's part (a final state) has none. */
    @Override
    protected MaskUse maskUse(Attributes a) {
        return a.nestedOutput() ? MaskUse.PASSES : MaskUse.NONE;
    }

    /** A state passes no activation on; a nested model's output keeps the one it ends in (null: look through). */
    @Override
    protected dev.kiln.dsl.Activation outputActivation(Attributes a, Shape output) {
        return a.nestedOutput() ? null : dev.kiln.dsl.Activation.LINEAR;
    }

    @Override
    protected void forward(Node node, Attributes a, Lowerer c) {
        if (a.nestedOutput()) {
            c.call(Call.KERNELS, "copy", "output '" + a.part() + "' of the nested model",
                    ref(c.value(node.inputs().get(0))), ref(c.value(node.name())), bool(false));
        }
    }

    @Override
    protected void backward(Node node, Attributes a, Lowerer c) {
        if (a.nestedOutput()) {
            String dy = c.gradient(node.name());
            Stateless.eachInput(node, c, (index, dx, acc, what) -> c.call(Call.KERNELS, "copy", what + dy,
                    ref(dy), ref(dx), bool(acc)));
        }
    }

    @Override
    protected RuntimeConfig config(Attributes a, LayerDecl decl) {
        return RuntimeConfig.of("PartConfig", new Arg.Text(a.part()), Arg.integer(a.output()),
                bool(a.nestedOutput()));
    }
}
