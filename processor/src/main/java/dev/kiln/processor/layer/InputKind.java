package dev.kiln.processor.layer;

import com.google.auto.service.AutoService;
import dev.kiln.dsl.DType;
import dev.kiln.processor.Report;
import dev.kiln.processor.Rule;
import dev.kiln.processor.Site;
import dev.kiln.processor.graph.Node;
import dev.kiln.processor.graph.Shape;
import dev.kiln.processor.read.LayerDecl;
import dev.kiln.processor.read.NodeDecl;
import java.util.List;

/** {@code @Input(shape)}: a model input, Keras's {@code InputLayer}. Inputs are bound, not lowered. */
@AutoService(LayerKind.class)
public final class InputKind extends LayerKind<InputKind.Attributes> {
    /** One sample's shape ({@code -1}: open) and the element type. */
    public record Attributes(int[] shape, DType dtype) {
    }

    @Override
    public String annotation() {
        return "Input";
    }

    @Override
    public Example example() {
        return null; // an input takes no inputs: every other example starts from one
    }

    @Override
    public String kerasName() {
        return "InputLayer";
    }

    @Override
    protected Attributes decode(LayerDecl d) {
        return new Attributes(d.integers("shape"), DType.valueOf(d.constant("dtype")));
    }

    @Override
    protected int minInputs(Attributes a) {
        return 0;
    }

    @Override
    protected int maxInputs(Attributes a) {
        return 0;
    }

    @Override
    protected void validate(NodeDecl node, Attributes a, Report report) {
        Site site = Site.attribute(node.name(), "Input", "shape");
        if (a.shape().length == 0) {
            report.add(Rule.ILLEGAL_ATTRIBUTE, site, "input '" + node.name() + "' has an empty shape. Give the shape of one"
                    + " sample without the batch axis, e.g. @Input(shape = 32) or @Input(shape = {28, 28, 1}).");
            return;
        }
        for (int i = 0; i < a.shape().length; i++) {
            int d = a.shape()[i];
            if (d <= 0 && d != dev.kiln.dsl.Input.NONE) {
                report.add(Rule.ILLEGAL_ATTRIBUTE, Site.element(node.name(), "Input", "shape", i), "input '" + node.name()
                        + "' has axis length " + d + " in " + node.layer().source() + ", but every axis is positive,"
                        + " or Input.NONE for one only known at run time. Use e.g. @Input(shape = 32).");
                return;
            }
        }
    }

    /** Open axes get placeholders here; the graph builder numbers them across the model. */
    @Override
    protected Shape outputShape(NodeDecl node, Attributes a, List<Shape> inputs, Report report) {
        long[] dims = new long[a.shape().length];
        for (int i = 0; i < dims.length; i++) {
            dims[i] = a.shape()[i];
        }
        return new Shape(dims);
    }

    @Override
    protected void forward(Node node, Attributes a, Lowerer c) {
        throw new AssertionError("an input is bound, not lowered: " + node.name());
    }

    @Override
    protected void backward(Node node, Attributes a, Lowerer c) {
        throw new AssertionError("an input is bound, not lowered: " + node.name());
    }

    @Override
    protected RuntimeConfig config(Attributes a, LayerDecl decl) {
        return RuntimeConfig.of("InputConfig", Arg.ints(a.shape()))
                .setting(decl, "dtype", new Arg.Constant(DType.class, a.dtype().name()));
    }
}
