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

/** {@code @Concatenate(axis)}: joins its inputs along one axis, Keras's {@code Concatenate}. */
@AutoService(LayerKind.class)
public final class ConcatenateKind extends LayerKind<ConcatenateKind.Attributes> {
    static final Kernel RESHAPES = Kernel.of("Reshapes");

    /** {@code axis} counted as in Keras, with the batch axis at 0. */
    public record Attributes(int axis) {
    }

    @Override
    public String annotation() {
        return "Concatenate";
    }

    @Override
    public Example example() {
        return Example.of("@Concatenate(axis = 1)", new long[] {4, 6}, new long[] {2, 6});
    }

    @Override
    protected Attributes decode(LayerDecl d) {
        return new Attributes(d.integer("axis"));
    }

    @Override
    protected int minInputs(Attributes a) {
        return 2;
    }

    @Override
    protected int maxInputs(Attributes a) {
        return Integer.MAX_VALUE;
    }

    @Override
    protected void validate(NodeDecl node, Attributes a, Report report) {
        if (a.axis() == 0) {
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
    protected Shape outputShape(NodeDecl node, Attributes a, List<Shape> inputs, Report report) {
        Shape first = inputs.get(0);
        int axis = sampleAxis(a.axis(), first.rank());
        if (axis < 0 || axis >= first.rank()) {
            report.add(Rule.SHAPE_MISMATCH, Site.attribute(node.name(), "Concatenate", "axis"), "Concatenate '"
                    + node.name() + "' joins along axis " + a.axis() + ", but its inputs have shape " + first + " (rank "
                    + (first.rank() + 1) + " with the batch axis). Use an axis from 1 to " + first.rank() + ", or -1.");
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
                        + "' joins along axis " + a.axis() + ", so its inputs must agree on every other axis, but '"
                        + node.parameters().get(0) + "' is " + first + " and '" + b + "' is " + s + ". Change the axis or"
                        + " reshape one input.");
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

    @Override
    protected void forward(Node node, Attributes a, Lowerer c) {
        String y = c.value(node.name());
        Arg axis = Arg.integer(batchedAxis(node, a));
        c.call(RESHAPES, "concatenate", y + " = inputs joined along axis " + batchedAxis(node, a),
                Stateless.with(axis, ref(y), Stateless.inputs(node, c)));
    }

    @Override
    protected void backward(Node node, Attributes a, Lowerer c) {
        Arg axis = Arg.integer(batchedAxis(node, a));
        Stateless.eachInput(node, c, (index, dx, acc, what) -> c.call(RESHAPES, "concatenateBackward", what
                + "its slice of " + c.gradient(node.name()), Stateless.with(axis, Arg.integer(index),
                ref(c.gradient(node.name())),
                        ref(dx), bool(acc), Stateless.inputs(node, c))));
    }

    @Override
    protected RuntimeConfig config(Attributes a, LayerDecl decl) {
        return RuntimeConfig.of("ConcatenateConfig").withArgumentIf(decl.explicit().contains("axis"),
                Arg.integer(a.axis()));
    }

    /** Keras's axis (batch axis at 0, negative from the end) as a non-negative axis of the batched array. */
    private static int batchedAxis(Node node, Attributes a) {
        int rank = node.shape().rank() + 1;
        return a.axis() < 0 ? rank + a.axis() : a.axis();
    }
}
