package dev.kiln.processor.layer;

import static dev.kiln.processor.layer.Arg.bool;
import static dev.kiln.processor.layer.Arg.real;
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

/** {@code @LeakyReLU(negativeSlope = 0.3)}: Keras 3's {@code LeakyReLU} layer, one element-wise pass each way. */
@AutoService(LayerKind.class)
public final class LeakyReLUKind extends LayerKind<LeakyReLUKind.Attributes> {
    private static final Kernel KERNEL = Kernel.of("LeakyReLUKernel");

    public record Attributes(double negativeSlope) {
    }

    @Override
    public String annotation() {
        return "LeakyReLU";
    }

    @Override
    public Example example() {
        return Example.of("@LeakyReLU", new long[] {4, 6});
    }

    @Override
    protected MaskUse maskUse(Attributes a) {
        return MaskUse.PASSES;
    }

    @Override
    protected Attributes decode(LayerDecl d) {
        return new Attributes(d.real("negativeSlope"));
    }

    @Override
    protected void validate(NodeDecl node, Attributes a, Report report) {
        if (!(a.negativeSlope() >= 0)) {
            report.add(Rule.ILLEGAL_ATTRIBUTE, Site.attribute(node.name(), "LeakyReLU", "negativeSlope"), "LeakyReLU '"
                    + node.name() + "' has negativeSlope = " + a.negativeSlope() + ", but the slope below zero must be"
                    + " >= 0, as in Keras. Use e.g. @LeakyReLU(negativeSlope = 0.1).");
        }
    }

    @Override
    protected Shape outputShape(NodeDecl node, Attributes a, List<Shape> inputs, Report report) {
        return inputs.get(0);
    }

    @Override
    protected void forward(Node node, Attributes a, Lowerer c) {
        String x = c.value(node.inputs().get(0));
        String y = c.value(node.name());
        c.call(KERNEL, "forward", y + " = leakyRelu(" + x + ")", ref(x), ref(y), real(a.negativeSlope()));
    }

    @Override
    protected void backward(Node node, Attributes a, Lowerer c) {
        Stateless.eachInput(node, c, (i, dx, acc, what) -> c.call(KERNEL, "backward", what + c.gradient(node.name())
                + " * leakyRelu'(x)", ref(c.value(node.inputs().get(0))), ref(c.gradient(node.name())), ref(dx),
                real(a.negativeSlope()), bool(acc)));
    }

    @Override
    protected RuntimeConfig config(Attributes a, LayerDecl d) {
        return RuntimeConfig.of("LeakyReLUConfig").withArgumentIf(d.explicit().contains("negativeSlope"),
                real(a.negativeSlope()));
    }
}
