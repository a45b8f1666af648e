package dev.kiln.processor.graph;

import dev.kiln.processor.Report;
import dev.kiln.processor.Rule;
import dev.kiln.processor.Site;
import dev.kiln.processor.read.NodeDecl;
import java.util.List;

/** Keras's {@code Dot(axes, normalize)} on two vectors per sample: output {@code (1)}. */
final class DotKind implements LayerKind {
    @Override
    public String annotation() {
        return "Dot";
    }

    @Override
    public int minInputs() {
        return 2;
    }

    @Override
    public int maxInputs() {
        return 2;
    }

    @Override
    public void validate(NodeDecl node, Report report) {
        int axes = node.layer().integer("axes");
        if (axes != 1 && axes != -1) {
            report.add(Rule.ILLEGAL_ATTRIBUTE, Site.attribute(node.name(), "Dot", "axes"), "Dot '" + node.name()
                    + "' has axes = " + axes + ", but Kiln's Dot takes the dot product of two vectors per sample:"
                    + " axes = 1 (or -1).");
        }
    }

    @Override
    public Shape outputShape(NodeDecl node, List<Shape> inputs, Report report) {
        Shape a = inputs.get(0);
        Shape b = inputs.get(1);
        if (a.rank() != 1 || b.rank() != 1 || a.last() != b.last() || a.last() < 0) {
            report.add(Rule.SHAPE_MISMATCH, Site.parameter(node.name(), node.parameters().get(1)), "Dot '" + node.name()
                    + "' needs two vectors of one length, but '" + node.parameters().get(0) + "' is " + a + " and '"
                    + node.parameters().get(1) + "' is " + b + ". " + (a.rank() == 1 && b.rank() == 1
                            ? Fixes.agree(node, node.parameters().get(0), a, node.parameters().get(1), b, 0)
                            : "Flatten them first, e.g. with @Flatten."));
            return null;
        }
        return Shape.of(1);
    }

    @Override
    public long forwardMacs(Node node, List<Shape> inputs) {
        return inputs.get(0).elements();
    }
}
