package dev.kiln.processor.layer;

import static dev.kiln.processor.layer.Arg.bool;
import static dev.kiln.processor.layer.Arg.ref;

import dev.kiln.processor.Report;
import dev.kiln.processor.Rule;
import dev.kiln.processor.Site;
import dev.kiln.processor.graph.Node;
import dev.kiln.processor.graph.Shape;
import dev.kiln.processor.read.NodeDecl;

/** What Keras's shape layers share: a check that the input's axes are all known. */
final class ShapeKinds {
    private ShapeKinds() {
    }

    /** True when every axis of {@code in} is known; otherwise reports it on the node's input. */
    static boolean fixed(String annotation, NodeDecl node, Shape in, Report report) {
        for (long d : in.dims()) {
            if (d < 0) {
                report.add(Rule.SHAPE_MISMATCH, Site.parameter(node.name(), node.parameters().get(0)), "@" + annotation
                        + " '" + node.name() + "' needs every axis of its input known, but '" + node.parameters().get(0)
                        + "' is " + in + ".");
                return false;
            }
        }
        return true;
    }

    /** Same values, another shape: a copy forward and back. */
    static void copyForward(Node node, Lowerer c) {
        c.call(Call.KERNELS, "copy", "same elements, shape " + node.shape(), ref(c.value(node.inputs().get(0))),
                ref(c.value(node.name())), bool(false));
    }

    static void copyBackward(Node node, Lowerer c) {
        String dy = c.gradient(node.name());
        Stateless.eachInput(node, c, (index, dx, acc, what) -> c.call(Call.KERNELS, "copy", what + dy + ", reshaped",
                ref(dy), ref(dx), bool(acc)));
    }
}
