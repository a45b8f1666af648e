package dev.kiln.processor.layer;

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

/** {@code @Reshape(targetShape)}: the same values in another shape, Keras's {@code Reshape}. */
@AutoService(LayerKind.class)
public final class ReshapeKind extends LayerKind<ReshapeKind.Attributes> {
    /** One sample's target shape; at most one -1, inferred. */
    public record Attributes(int[] targetShape) {
    }

    @Override
    public String annotation() {
        return "Reshape";
    }

    @Override
    public Example example() {
        return Example.of("@Reshape(targetShape = {3, -1})", new long[] {4, 6});
    }

    @Override
    protected Attributes decode(LayerDecl d) {
        return new Attributes(d.integers("targetShape"));
    }

    @Override
    protected void validate(NodeDecl node, Attributes a, Report report) {
        int[] target = a.targetShape();
        long unknown = Arrays.stream(target).filter(d -> d == -1).count();
        if (target.length == 0 || unknown > 1 || Arrays.stream(target).anyMatch(d -> d == 0 || d < -1)) {
            report.add(Rule.ILLEGAL_ATTRIBUTE, Site.attribute(node.name(), "Reshape", "targetShape"), "Reshape '"
                    + node.name() + "' has targetShape = " + Arrays.toString(target) + ". Give the shape of one sample:"
                    + " positive lengths, at most one -1 to infer.");
        }
    }

    @Override
    protected Shape outputShape(NodeDecl node, Attributes a, List<Shape> inputs, Report report) {
        Shape in = inputs.get(0);
        if (!ShapeKinds.fixed(annotation(), node, in, report)) {
            return null;
        }
        int[] target = a.targetShape();
        long[] out = new long[target.length];
        long known = 1;
        int infer = -1;
        for (int i = 0; i < out.length; i++) {
            out[i] = target[i];
            if (out[i] == -1) {
                infer = i;
            } else {
                known *= out[i];
            }
        }
        long n = in.elements();
        if (infer >= 0 && n % known == 0) {
            out[infer] = n / known;
            known = n;
        }
        if (known != n) {
            report.add(Rule.SHAPE_MISMATCH, Site.attribute(node.name(), "Reshape", "targetShape"), "Reshape '"
                    + node.name() + "' turns " + in + " (" + n + " values) into " + Arrays.toString(target) + ", which"
                    + " holds " + (infer >= 0 ? "no whole multiple of " + known : Long.toString(known)) + " values."
                    + " Choose a target shape with " + n + " values.");
            return null;
        }
        return new Shape(out);
    }

    @Override
    protected void forward(Node node, Attributes a, Lowerer c) {
        ShapeKinds.copyForward(node, c);
    }

    @Override
    protected void backward(Node node, Attributes a, Lowerer c) {
        ShapeKinds.copyBackward(node, c);
    }

    @Override
    protected RuntimeConfig config(Attributes a, LayerDecl decl) {
        return RuntimeConfig.of("ReshapeConfig", Arg.ints(a.targetShape()));
    }
}
