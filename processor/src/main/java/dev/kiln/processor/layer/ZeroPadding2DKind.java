package dev.kiln.processor.layer;

import static dev.kiln.processor.layer.Arg.bool;
import static dev.kiln.processor.layer.Arg.integer;
import static dev.kiln.processor.layer.Arg.ref;

import com.google.auto.service.AutoService;
import dev.kiln.processor.Report;
import dev.kiln.processor.graph.Node;
import dev.kiln.processor.graph.Shape;
import dev.kiln.processor.layer.Call.Kernel;
import dev.kiln.processor.read.LayerDecl;
import dev.kiln.processor.read.NodeDecl;
import java.util.List;

/** {@code @ZeroPadding2D(padding)}: Keras's {@code ZeroPadding2D}; backward crops the gradient back out. */
@AutoService(LayerKind.class)
public final class ZeroPadding2DKind extends LayerKind<ZeroPadding2DKind.Attributes> {
    static final Kernel KERNEL = Kernel.of("PaddingKernel");

    /** {@code padding} as written. */
    public record Attributes(int[] padding) {
    }

    @Override
    public String annotation() {
        return "ZeroPadding2D";
    }

    @Override
    public Example example() {
        return Example.of("@ZeroPadding2D(padding = {1, 0, 2, 1})", new long[] {3, 2, 2});
    }

    @Override
    protected Attributes decode(LayerDecl d) {
        return new Attributes(d.integers("padding"));
    }

    @Override
    protected void validate(NodeDecl node, Attributes a, Report report) {
        Windows.sides(annotation(), node, "padding", a.padding(), report);
    }

    @Override
    protected Shape outputShape(NodeDecl node, Attributes a, List<Shape> inputs, Report report) {
        Shape in = inputs.get(0);
        if (!Windows.rank(annotation(), node, in, 2, report) || !ShapeKinds.fixed(annotation(), node, in, report)) {
            return null;
        }
        int[] p = Windows.fourSides(a.padding());
        return Shape.of(in.dim(0) + p[0] + p[1], in.dim(1) + p[2] + p[3], in.dim(2));
    }

    @Override
    protected void forward(Node node, Attributes a, Lowerer c) {
        int[] p = Windows.fourSides(a.padding());
        String y = c.value(node.name());
        c.call(KERNEL, "pad", y + " = zeros around " + c.value(node.inputs().get(0)), ref(c.value(node.inputs().get(0))),
                ref(y), bool(false), integer(p[0]), integer(p[2]));
    }

    @Override
    protected void backward(Node node, Attributes a, Lowerer c) {
        int[] p = Windows.fourSides(a.padding());
        String dy = c.gradient(node.name());
        Stateless.eachInput(node, c, (index, dx, acc, what) -> c.call(KERNEL, "crop", what + dy + " without the"
                + " padding", ref(dy), ref(dx), bool(acc), integer(p[0]), integer(p[2])));
    }

    @Override
    protected RuntimeConfig config(Attributes a, LayerDecl d) {
        return RuntimeConfig.of("ZeroPadding2DConfig").setting(d, "padding", Arg.ints(a.padding()));
    }
}
