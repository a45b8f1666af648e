package dev.kiln.processor.layer;

import static dev.kiln.processor.layer.Arg.bool;
import static dev.kiln.processor.layer.Arg.integer;
import static dev.kiln.processor.layer.Arg.ref;

import com.google.auto.service.AutoService;
import dev.kiln.dsl.Activation;
import dev.kiln.processor.Report;
import dev.kiln.processor.Rule;
import dev.kiln.processor.Site;
import dev.kiln.processor.graph.Node;
import dev.kiln.processor.graph.Shape;
import dev.kiln.processor.layer.Call.Kernel;
import dev.kiln.processor.read.LayerDecl;
import dev.kiln.processor.read.NodeDecl;
import java.util.List;

/**
 * {@code @Softmax(axis = -1)}: Keras's {@code Softmax} layer along one axis. On the last axis its output is a softmax
 * in the sense of the loss checks: a cross-entropy may follow, and is fused with it (the backward pass then copies the
 * loss's gradient, which is already taken before the softmax).
 */
@AutoService(LayerKind.class)
public final class SoftmaxKind extends LayerKind<SoftmaxKind.Attributes> {
    private static final Kernel KERNEL = Kernel.of("SoftmaxKernel");

    /** {@code axis} as written: Keras's count, the batch being axis 0. */
    public record Attributes(int axis) {
        /** The axis in a batched array whose samples have {@code sampleRank} axes. */
        int resolved(int sampleRank) {
            return axis < 0 ? axis + sampleRank + 1 : axis;
        }
    }

    @Override
    public String annotation() {
        return "Softmax";
    }

    @Override
    public Example example() {
        return Example.of("@Softmax(axis = 1)", new long[] {4, 6});
    }

    @Override
    protected Attributes decode(LayerDecl d) {
        return new Attributes(d.integer("axis"));
    }

    @Override
    protected Shape outputShape(NodeDecl node, Attributes a, List<Shape> inputs, Report report) {
        Shape in = inputs.get(0);
        int axis = a.resolved(in.rank());
        if (axis < 1 || axis > in.rank()) {
            report.add(Rule.ILLEGAL_ATTRIBUTE, Site.attribute(node.name(), "Softmax", "axis"), "Softmax '" + node.name()
                    + "' has axis = " + a.axis() + ", but its input '" + node.parameters().get(0) + "' of shape " + in
                    + " has axes 1 to " + in.rank() + " (0 is the batch; -1 the last axis). Use e.g. @Softmax(axis = -1).");
            return null;
        }
        return in;
    }

    @Override
    protected Activation outputActivation(Attributes a, Shape output) {
        return a.resolved(output.rank()) == output.rank() ? Activation.SOFTMAX : Activation.LINEAR;
    }

    @Override
    protected void forward(Node node, Attributes a, Lowerer c) {
        String x = c.value(node.inputs().get(0));
        String y = c.value(node.name());
        int axis = a.resolved(node.shape().rank());
        c.call(KERNEL, "forward", y + " = softmax(" + x + ") along axis " + axis, ref(x), ref(y), integer(axis));
        if (c.fused(node.name())) {
            c.setLogits(node.name(), x);
        }
    }

    @Override
    protected void backward(Node node, Attributes a, Lowerer c) {
        String dy = c.gradient(node.name());
        String y = c.value(node.name());
        int axis = a.resolved(node.shape().rank());
        boolean fused = c.fused(node.name());
        Stateless.eachInput(node, c, (i, dx, acc, what) -> {
            if (fused) {
                c.call(Call.KERNELS, "copy", "the loss gave the gradient before the softmax", ref(dy), ref(dx),
                        bool(acc));
            } else {
                c.call(KERNEL, "backward", what + y + " * (" + dy + " - sum(" + y + " * " + dy + "))", ref(y), ref(dy),
                        ref(dx), integer(axis), bool(acc));
            }
        });
    }

    @Override
    protected RuntimeConfig config(Attributes a, LayerDecl d) {
        return RuntimeConfig.of("SoftmaxConfig").withArgumentIf(d.explicit().contains("axis"), integer(a.axis()));
    }
}
