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

/**
 * {@code @ReLU(maxValue, negativeSlope, threshold)}: Keras's {@code ReLU} layer, one element-wise pass each way. Its
 * derivative needs the input (a zero output does not say on which side of the threshold it came from).
 */
@AutoService(LayerKind.class)
public final class ReLUKind extends LayerKind<ReLUKind.Attributes> {
    private static final Kernel KERNEL = Kernel.of("ReLUKernel");

    public record Attributes(double maxValue, double negativeSlope, double threshold) {
    }

    @Override
    public String annotation() {
        return "ReLU";
    }

    @Override
    public Example example() {
        return Example.of("@ReLU(maxValue = 0.6, negativeSlope = 0.1, threshold = 0.2)", new long[] {4, 6});
    }

    @Override
    protected MaskUse maskUse(Attributes a) {
        return MaskUse.PASSES;
    }

    @Override
    protected Attributes decode(LayerDecl d) {
        return new Attributes(d.real("maxValue"), d.real("negativeSlope"), d.real("threshold"));
    }

    @Override
    protected void validate(NodeDecl node, Attributes a, Report report) {
        nonNegative(node, "maxValue", a.maxValue(), "the largest output", report);
        nonNegative(node, "negativeSlope", a.negativeSlope(), "the slope below the threshold", report);
        nonNegative(node, "threshold", a.threshold(), "where the slope changes", report);
    }

    private static void nonNegative(NodeDecl node, String attribute, double value, String what, Report report) {
        if (!(value >= 0)) {
            report.add(Rule.ILLEGAL_ATTRIBUTE, Site.attribute(node.name(), "ReLU", attribute), "ReLU '" + node.name()
                    + "' has " + attribute + " = " + value + ", but " + attribute + " is " + what + " and must be >= 0,"
                    + " as in Keras.");
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
        c.call(KERNEL, "forward", y + " = relu(" + x + ")", ref(x), ref(y), real(a.maxValue()),
                real(a.negativeSlope()), real(a.threshold()));
    }

    @Override
    protected void backward(Node node, Attributes a, Lowerer c) {
        Stateless.eachInput(node, c, (i, dx, acc, what) -> c.call(KERNEL, "backward", what + c.gradient(node.name())
                + " * relu'(x)", ref(c.value(node.inputs().get(0))), ref(c.gradient(node.name())), ref(dx),
                real(a.maxValue()), real(a.negativeSlope()), real(a.threshold()), bool(acc)));
    }

    @Override
    protected RuntimeConfig config(Attributes a, LayerDecl d) {
        return RuntimeConfig.of("ReLUConfig").setting(d, "maxValue", real(a.maxValue()))
                .setting(d, "negativeSlope", real(a.negativeSlope())).setting(d, "threshold", real(a.threshold()));
    }
}
