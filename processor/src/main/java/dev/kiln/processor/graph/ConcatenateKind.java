package dev.kiln.processor.graph;

import dev.kiln.processor.Report;
import dev.kiln.processor.Rule;
import dev.kiln.processor.Site;
import dev.kiln.processor.read.NodeDecl;
import java.util.List;

/** Keras's {@code Concatenate(axis)}: inputs of one rank, equal on every axis but {@code axis}. */
final class ConcatenateKind implements LayerKind {
    @Override
    public String annotation() {
        return "Concatenate";
    }

    @Override
    public int minInputs() {
        return 2;
    }

    @Override
    public int maxInputs() {
        return Integer.MAX_VALUE;
    }

    @Override
    public void validate(NodeDecl node, Report report) {
        if (node.layer().integer("axis") == 0) {
            report.add(Rule.ILLEGAL_ATTRIBUTE, Site.attribute(node.name(), "Concatenate", "axis"), "Concatenate '"
                    + node.name() + "' has axis = 0, the batch axis. Concatenate along a feature axis: axis = -1 (the"
                    + " last, the default) or 1 and up, counted as in Keras with the batch axis at 0.");
        }
    }

    /** The axis within one sample (no batch axis). */
    static int sampleAxis(int axis, int rank) {
        return axis < 0 ? rank + axis : axis - 1;
    }

    @Override
    public Shape outputShape(NodeDecl node, List<Shape> inputs, Report report) {
        Shape first = inputs.get(0);
        int axis = sampleAxis(node.layer().integer("axis"), first.rank());
        if (axis < 0 || axis >= first.rank()) {
            report.add(Rule.SHAPE_MISMATCH, Site.attribute(node.name(), "Concatenate", "axis"), "Concatenate '"
                    + node.name() + "' joins along axis " + node.layer().integer("axis") + ", but its inputs have shape "
                    + first + " (rank " + (first.rank() + 1) + " with the batch axis). Use an axis from 1 to "
                    + first.rank() + ", or -1.");
            return null;
        }
        long[] out = first.dims();
        for (int k = 1; k < inputs.size(); k++) {
            Shape s = inputs.get(k);
            String b = node.parameters().get(k);
            boolean ok = s.rank() == first.rank();
            for (int d = 0; ok && d < out.length; d++) {
                ok = d == axis || s.dims()[d] == out[d];
            }
            if (!ok) {
                report.add(Rule.SHAPE_MISMATCH, Site.parameter(node.name(), b), "Concatenate '" + node.name()
                        + "' joins along axis " + node.layer().integer("axis") + ", so its inputs must agree on every"
                        + " other axis, but '" + node.parameters().get(0) + "' is " + first + " and '" + b + "' is " + s
                        + ". Change the axis or reshape one input.");
                return null;
            }
            if (out[axis] < 0 || s.dims()[axis] < 0) {
                report.add(Rule.SHAPE_MISMATCH, Site.parameter(node.name(), b), "Concatenate '" + node.name()
                        + "' joins along an axis that is open (None) in '" + b + "'; Kiln needs its length at compile"
                        + " time. Concatenate along a fixed axis.");
                return null;
            }
            out[axis] += s.dims()[axis];
        }
        return new Shape(out);
    }
}
