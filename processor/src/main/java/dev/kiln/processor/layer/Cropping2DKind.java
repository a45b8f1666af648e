package dev.kiln.processor.layer;

import static dev.kiln.processor.layer.Arg.bool;
import static dev.kiln.processor.layer.Arg.integer;
import static dev.kiln.processor.layer.Arg.ref;

import com.google.auto.service.AutoService;
import dev.kiln.processor.Report;
import dev.kiln.processor.Rule;
import dev.kiln.processor.Site;
import dev.kiln.processor.graph.Node;
import dev.kiln.processor.graph.Shape;
import dev.kiln.processor.read.LayerDecl;
import dev.kiln.processor.read.NodeDecl;
import java.util.Arrays;
import java.util.List;

/** {@code @Cropping2D(cropping)}: Keras's {@code Cropping2D}; backward pads the gradient back with zeros. */
@AutoService(LayerKind.class)
public final class Cropping2DKind extends LayerKind<Cropping2DKind.Attributes> {
    /** {@code cropping} as written. */
    public record Attributes(int[] cropping) {
    }

    @Override
    public String annotation() {
        return "Cropping2D";
    }

    @Override
    public Example example() {
        return Example.of("@Cropping2D(cropping = {1, 0, 2, 1})", new long[] {4, 5, 2});
    }

    @Override
    protected Attributes decode(LayerDecl d) {
        return new Attributes(d.integers("cropping"));
    }

    @Override
    protected void validate(NodeDecl node, Attributes a, Report report) {
        Windows.sides(annotation(), node, "cropping", a.cropping(), report);
    }

    @Override
    protected Shape outputShape(NodeDecl node, Attributes a, List<Shape> inputs, Report report) {
        Shape in = inputs.get(0);
        if (!Windows.rank(annotation(), node, in, 2, report) || !ShapeKinds.fixed(annotation(), node, in, report)) {
            return null;
        }
        int[] p = Windows.fourSides(a.cropping());
        long h = in.dim(0) - p[0] - p[1];
        long w = in.dim(1) - p[2] - p[3];
        if (h < 1 || w < 1) {
            report.add(Rule.SHAPE_MISMATCH, Site.attribute(node.name(), annotation(), "cropping"), annotation() + " '"
                    + node.name() + "' has cropping = " + Arrays.toString(a.cropping()) + ", which cuts " + (h < 1
                    ? (p[0] + p[1]) + " rows" : (p[2] + p[3]) + " columns") + " off its input '"
                    + node.parameters().get(0) + "' of shape " + in + ", leaving nothing. Crop less.");
            return null;
        }
        return Shape.of(h, w, in.dim(2));
    }

    @Override
    protected void forward(Node node, Attributes a, Lowerer c) {
        int[] p = Windows.fourSides(a.cropping());
        String y = c.value(node.name());
        String x = c.value(node.inputs().get(0));
        c.call(ZeroPadding2DKind.KERNEL, "crop", y + " = the inside of " + x, ref(x), ref(y), bool(false),
                integer(p[0]), integer(p[2]));
    }

    @Override
    protected void backward(Node node, Attributes a, Lowerer c) {
        int[] p = Windows.fourSides(a.cropping());
        String dy = c.gradient(node.name());
        Stateless.eachInput(node, c, (index, dx, acc, what) -> c.call(ZeroPadding2DKind.KERNEL, "pad", what + dy
                + " with zeros where the border was cut", ref(dy), ref(dx), bool(acc), integer(p[0]), integer(p[2])));
    }

    @Override
    protected RuntimeConfig config(Attributes a, LayerDecl d) {
        return RuntimeConfig.of("Cropping2DConfig").setting(d, "cropping", Arg.ints(a.cropping()));
    }
}
