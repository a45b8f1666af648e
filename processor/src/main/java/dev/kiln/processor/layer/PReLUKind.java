package dev.kiln.processor.layer;

import static dev.kiln.processor.layer.Arg.bool;
import static dev.kiln.processor.layer.Arg.ref;

import com.google.auto.service.AutoService;
import dev.kiln.dsl.Initializer;
import dev.kiln.processor.Report;
import dev.kiln.processor.Rule;
import dev.kiln.processor.Site;
import dev.kiln.processor.graph.Node;
import dev.kiln.processor.graph.Shape;
import dev.kiln.processor.graph.Variable;
import dev.kiln.processor.layer.Call.Kernel;
import dev.kiln.processor.read.LayerDecl;
import dev.kiln.processor.read.NodeDecl;
import java.util.Arrays;
import java.util.List;

/**
 * {@code @PReLU(alphaInitializer, sharedAxes)}: Keras's {@code PReLU}, a trainable slope below zero per element of a
 * sample (Keras's {@code alpha}, of the input's shape with each shared axis 1). One pass forward; one backward pass
 * writes the input's gradient and sums the slopes' gradient over the batch and the shared axes.
 */
@AutoService(LayerKind.class)
public final class PReLUKind extends LayerKind<PReLUKind.Attributes> {
    private static final Kernel KERNEL = Kernel.of("PReLUKernel");

    public record Attributes(Initializer alphaInitializer, int[] sharedAxes) {
        /** Keras's {@code alpha} shape for a sample of {@code in}: the shared axes set to 1. */
        Shape alphaShape(Shape in) {
            long[] dims = in.dims();
            for (int axis : sharedAxes) {
                dims[axis - 1] = 1;
            }
            return Shape.of(dims);
        }
    }

    @Override
    public String annotation() {
        return "PReLU";
    }

    @Override
    public Example example() {
        return Example.of("@PReLU(alphaInitializer = Initializer.GLOROT_UNIFORM, sharedAxes = 1)", new long[] {4, 6});
    }

    @Override
    protected MaskUse maskUse(Attributes a) {
        return MaskUse.PASSES;
    }

    @Override
    protected Attributes decode(LayerDecl d) {
        return new Attributes(d.constant("alphaInitializer", Initializer.class), d.integers("sharedAxes"));
    }

    @Override
    protected Shape outputShape(NodeDecl node, Attributes a, List<Shape> inputs, Report report) {
        Shape in = inputs.get(0);
        if (!ShapeKinds.fixed(annotation(), node, in, report)) {
            return null;
        }
        int[] axes = a.sharedAxes();
        boolean inRange = Arrays.stream(axes).allMatch(k -> k >= 1 && k <= in.rank());
        if (!inRange || Arrays.stream(axes).distinct().count() != axes.length) {
            report.add(Rule.ILLEGAL_ATTRIBUTE, Site.attribute(node.name(), "PReLU", "sharedAxes"), "PReLU '"
                    + node.name() + "' has sharedAxes = " + Arrays.toString(axes) + ", but its input '"
                    + node.parameters().get(0) + "' of shape " + in + " has axes 1 to " + in.rank() + " (0 is the"
                    + " batch), each to be shared at most once. For images (h, w, c) use sharedAxes = {1, 2}.");
            return null;
        }
        return in;
    }

    @Override
    protected List<Variable> variables(Attributes a, List<Shape> inputs) {
        return List.of(new Variable("alpha", a.alphaShape(inputs.get(0)), a.alphaInitializer(), true));
    }

    @Override
    protected long forwardMacs(Attributes a, List<Shape> inputs, Shape output) {
        return output.elements();
    }

    @Override
    protected void forward(Node node, Attributes a, Lowerer c) {
        String x = c.value(node.inputs().get(0));
        String y = c.value(node.name());
        WeightFields alpha = c.weight(node, "alpha");
        c.call(KERNEL, "forward", y + " = " + x + " >= 0 ? " + x + " : alpha * " + x, ref(x), ref(alpha.field()),
                ref(y));
    }

    @Override
    protected void backward(Node node, Attributes a, Lowerer c) {
        String input = node.inputs().get(0);
        WeightFields alpha = c.weight(node, "alpha");
        boolean inputGradient = c.needsGradient(input);
        boolean alphaGradient = alpha.gradientField() != null;
        if (!inputGradient && !alphaGradient) {
            return;
        }
        Arg dx = inputGradient ? ref(c.gradient(input)) : new Arg.Literal("null");
        boolean accumulateInput = inputGradient && c.accumulate(input);
        Arg dAlpha = alphaGradient ? ref(alpha.gradientField()) : new Arg.Literal("null");
        boolean accumulateAlpha = alphaGradient && c.accumulateWeight(alpha);
        c.call(KERNEL, "backward", "the input's gradient" + (accumulateInput ? " (added)" : "") + " and alpha's, summed"
                + " over the batch" + (a.sharedAxes().length > 0 ? " and the shared axes" : ""),
                ref(c.value(input)), ref(alpha.field()), ref(c.gradient(node.name())), dx, bool(accumulateInput),
                dAlpha, bool(accumulateAlpha));
    }

    @Override
    protected RuntimeConfig config(Attributes a, LayerDecl d) {
        return RuntimeConfig.of("PReLUConfig")
                .setting(d, "alphaInitializer", new Arg.Constant(Initializer.class, a.alphaInitializer().name()))
                .setting(d, "sharedAxes", Arg.ints(a.sharedAxes()));
    }
}
