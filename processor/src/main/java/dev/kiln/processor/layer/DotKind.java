package dev.kiln.processor.layer;

import static dev.kiln.processor.layer.Arg.bool;
import static dev.kiln.processor.layer.Arg.ref;

import com.google.auto.service.AutoService;
import dev.kiln.processor.Report;
import dev.kiln.processor.Rule;
import dev.kiln.processor.Site;
import dev.kiln.processor.graph.Node;
import dev.kiln.processor.graph.Shape;
import dev.kiln.processor.layer.Call.Kernel;
import dev.kiln.processor.read.LayerDecl;
import dev.kiln.processor.read.NodeDecl;
import java.util.List;

/** {@code @Dot}: the dot product (or cosine, normalized) of two vectors per sample, Keras's {@code Dot}. */
@AutoService(LayerKind.class)
public final class DotKind extends LayerKind<DotKind.Attributes> {
    private static final Kernel DOTS = Kernel.of("Dots");

    public record Attributes(int axes, boolean normalize) {
    }

    @Override
    public String annotation() {
        return "Dot";
    }

    @Override
    public Example example() {
        return Example.of("@Dot(axes = 1, normalize = true)", new long[] {6}, new long[] {6});
    }

    @Override
    protected Attributes decode(LayerDecl d) {
        return new Attributes(d.integer("axes"), d.flag("normalize"));
    }

    @Override
    protected int minInputs(Attributes a) {
        return 2;
    }

    @Override
    protected int maxInputs(Attributes a) {
        return 2;
    }

    @Override
    protected void validate(NodeDecl node, Attributes a, Report report) {
        if (a.axes() != 1 && a.axes() != -1) {
            report.add(Rule.ILLEGAL_ATTRIBUTE, Site.attribute(node.name(), "Dot", "axes"), "Dot '" + node.name()
                    + "' has axes = " + a.axes() + ", but Kiln's Dot takes the dot product of two vectors per sample:"
                    + " axes = 1 (or -1).");
        }
    }

    @Override
    protected Shape outputShape(NodeDecl node, Attributes a, List<Shape> inputs, Report report) {
        Shape x = inputs.get(0);
        Shape z = inputs.get(1);
        if (x.rank() != 1 || z.rank() != 1 || x.last() != z.last() || x.last() < 0) {
            report.add(Rule.SHAPE_MISMATCH, Site.parameter(node.name(), node.parameters().get(1)), "Dot '" + node.name()
                    + "' needs two vectors of one length, but '" + node.parameters().get(0) + "' is " + x + " and '"
                    + node.parameters().get(1) + "' is " + z + ". " + (x.rank() == 1 && z.rank() == 1
                            ? Fixes.agree(node, node.parameters().get(0), x, node.parameters().get(1), z, 0)
                            : "Flatten them first, e.g. with @Flatten."));
            return null;
        }
        return Shape.of(1);
    }

    @Override
    protected long forwardMacs(Attributes a, List<Shape> inputs, Shape output) {
        return inputs.get(0).elements();
    }

    @Override
    protected void forward(Node node, Attributes a, Lowerer c) {
        String y = c.value(node.name());
        List<Arg> xs = Stateless.inputs(node, c);
        c.call(DOTS, "forward", y + " = " + (a.normalize() ? "cosine" : "dot product") + " of the two inputs",
                bool(a.normalize()), xs.get(0), xs.get(1), ref(y));
    }

    @Override
    protected void backward(Node node, Attributes a, Lowerer c) {
        List<Arg> xs = Stateless.inputs(node, c);
        String dy = c.gradient(node.name());
        Stateless.eachInput(node, c, (index, dx, acc, what) -> c.call(DOTS, "backward", what + dy + " * d(dot)/d("
                + node.inputs().get(index) + ")", bool(a.normalize()), Arg.integer(index),
                xs.get(0), xs.get(1), ref(dy), ref(dx), bool(acc)));
    }

    @Override
    protected RuntimeConfig config(Attributes a, LayerDecl d) {
        return RuntimeConfig.of("DotConfig").setting(d, "axes", Arg.integer(a.axes()))
                .setting(d, "normalize", bool(a.normalize()));
    }
}
