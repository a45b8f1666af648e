package dev.kiln.processor.layer;

import static dev.kiln.processor.layer.Arg.bool;
import static dev.kiln.processor.layer.Arg.integer;
import static dev.kiln.processor.layer.Arg.ref;

import com.google.auto.service.AutoService;
import dev.kiln.dsl.Activation;
import dev.kiln.dsl.Initializer;
import dev.kiln.dsl.Padding;
import dev.kiln.processor.Report;
import dev.kiln.processor.Rule;
import dev.kiln.processor.Site;
import dev.kiln.processor.graph.Node;
import dev.kiln.processor.graph.Shape;
import dev.kiln.processor.graph.Variable;
import dev.kiln.processor.read.LayerDecl;
import dev.kiln.processor.read.NodeDecl;
import java.util.ArrayList;
import java.util.List;

/**
 * {@code @SeparableConv2D}: Keras's {@code SeparableConv2D} (channels last), a depthwise convolution lowered as
 * {@link DepthwiseConv2DKind}'s into a planned buffer of {@code (outH, outW, in * depthMultiplier)}, then the pointwise
 * 1x1 convolution as Dense's gemm on that buffer's rows, with bias and activation. Backward: the pointwise kernel's
 * gradient, then the depthwise output's gradient overwrites its buffer (no longer needed) and goes through the
 * depthwise backward.
 */
@AutoService(LayerKind.class)
public final class SeparableConv2DKind extends LayerKind<SeparableConv2DKind.Attributes> {
    public record Attributes(int filters, int[] kernelSize, int[] strides, Padding padding, int depthMultiplier,
            int[] dilationRate, Activation activation, boolean useBias, Initializer depthwiseInitializer,
            Initializer pointwiseInitializer, Initializer biasInitializer, boolean trainable) {
        SlidingWindow window(int axis) {
            return new SlidingWindow(SlidingWindow.pick(kernelSize, axis), SlidingWindow.pick(strides, axis),
                    SlidingWindow.pick(dilationRate, axis), padding);
        }
    }

    @Override
    public String annotation() {
        return "SeparableConv2D";
    }

    @Override
    public Example example() {
        return Example.of("@SeparableConv2D(filters = 3, kernelSize = {2, 3}, strides = {1, 2}, padding = Padding.SAME,"
                + " depthMultiplier = 2, activation = Activation.SIGMOID)", new long[] {4, 5, 2});
    }

    @Override
    protected Attributes decode(LayerDecl d) {
        return new Attributes(d.integer("filters"), d.integers("kernelSize"), d.integers("strides"),
                d.constant("padding", Padding.class), d.integer("depthMultiplier"), d.integers("dilationRate"),
                d.constant("activation", Activation.class), d.flag("useBias"),
                d.constant("depthwiseInitializer", Initializer.class),
                d.constant("pointwiseInitializer", Initializer.class), d.constant("biasInitializer", Initializer.class),
                d.flag("trainable"));
    }

    @Override
    protected void validate(NodeDecl node, Attributes a, Report report) {
        if (a.filters() <= 0) {
            report.add(Rule.ILLEGAL_ATTRIBUTE, Site.attribute(node.name(), annotation(), "filters"), annotation() + " '"
                    + node.name() + "' has filters = " + a.filters() + ", but a convolution needs at least one filter."
                    + " Use a positive count, e.g. @" + annotation() + "(filters = 32, kernelSize = 3).");
        }
        DepthwiseConv2DKind.validate(annotation(), node, a.padding(), a.depthMultiplier(), a.kernelSize(), a.strides(),
                a.dilationRate(), report);
    }

    @Override
    protected Shape outputShape(NodeDecl node, Attributes a, List<Shape> inputs, Report report) {
        long[] out = DepthwiseConv2DKind.spatial(annotation(), node, inputs.get(0), a.kernelSize(), a.window(0),
                a.window(1), report);
        if (out == null) {
            return null;
        }
        out[2] = a.filters();
        return Shape.of(out);
    }

    @Override
    protected List<Variable> variables(Attributes a, List<Shape> inputs) {
        long in = inputs.get(0).last();
        List<Variable> vars = new ArrayList<>();
        vars.add(new Variable("depthwise_kernel", Shape.of(a.window(0).size(), a.window(1).size(), in,
                a.depthMultiplier()), a.depthwiseInitializer(), a.trainable()));
        vars.add(new Variable("pointwise_kernel", Shape.of(1, 1, in * a.depthMultiplier(), a.filters()),
                a.pointwiseInitializer(), a.trainable()));
        if (a.useBias()) {
            vars.add(new Variable("bias", Shape.of(a.filters()), a.biasInitializer(), a.trainable()));
        }
        return vars;
    }

    @Override
    protected long forwardMacs(Attributes a, List<Shape> inputs, Shape output) {
        long positions = output.elements() / output.last();
        long mid = inputs.get(0).last() * a.depthMultiplier();
        return positions * mid * (a.window(0).size() * a.window(1).size() + a.filters());
    }

    @Override
    protected Activation outputActivation(Attributes a, Shape output) {
        return a.activation();
    }

    @Override
    protected void forward(Node node, Attributes a, Lowerer c) {
        String columns = DepthwiseConv2DKind.gather(node, a.window(0), a.window(1), c);
        WeightFields depthwise = c.weight(node, "depthwise_kernel");
        long channels = c.shape(node.inputs().get(0)).last();
        Shape out = node.shape();
        String mid = c.buffer(node.name() + "Depthwise", Shape.of(out.dim(0), out.dim(1),
                channels * a.depthMultiplier()));
        c.setValue(node.name() + "/depthwise", mid);
        c.call(DepthwiseConv2DKind.DEPTHWISE, "forward", mid + " = each channel's taps in " + columns + " @ its own"
                + " filters", ref(columns), ref(depthwise.field()), ref(mid), integer(channels),
                integer(a.depthMultiplier()));
        DenseKind.affineForward(node, a.activation(), mid, "pointwise_kernel", c);
    }

    @Override
    protected void backward(Node node, Attributes a, Lowerer c) {
        String mid = c.value(node.name() + "/depthwise");
        String dy = c.gradient(node.name());
        DenseKind.affineBackward(node, a.activation(), mid, "pointwise_kernel", c);
        WeightFields depthwise = c.weight(node, "depthwise_kernel");
        if (depthwise.gradientField() == null && !c.needsGradient(node.inputs().get(0))) {
            return;
        }
        WeightFields pointwise = c.weight(node, "pointwise_kernel");
        c.call(Call.KERNELS, "gemm", mid + " = " + dy + " @ pointwise_kernel^T, reusing the buffer", ref(dy),
                ref(pointwise.field()), ref(mid), bool(false), bool(true));
        DepthwiseConv2DKind.depthwiseBackward(node, mid, "depthwise_kernel", a.depthMultiplier(), a.window(0),
                a.window(1), c);
    }

    @Override
    protected RuntimeConfig config(Attributes a, LayerDecl d) {
        return RuntimeConfig.of("SeparableConv2DConfig", integer(a.filters()), Arg.ints(a.kernelSize()))
                .setting(d, "strides", Arg.ints(a.strides()))
                .setting(d, "padding", new Arg.Constant(Padding.class, a.padding().name()))
                .setting(d, "depthMultiplier", integer(a.depthMultiplier()))
                .setting(d, "dilationRate", Arg.ints(a.dilationRate()))
                .setting(d, "activation", new Arg.Constant(Activation.class, a.activation().name()))
                .setting(d, "useBias", bool(a.useBias()))
                .setting(d, "depthwiseInitializer", new Arg.Constant(Initializer.class,
                        a.depthwiseInitializer().name()))
                .setting(d, "pointwiseInitializer", new Arg.Constant(Initializer.class,
                        a.pointwiseInitializer().name()))
                .setting(d, "biasInitializer", new Arg.Constant(Initializer.class, a.biasInitializer().name()))
                .setting(d, "trainable", bool(a.trainable()));
    }
}
