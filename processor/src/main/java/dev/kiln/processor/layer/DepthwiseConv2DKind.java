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
import dev.kiln.processor.layer.Call.Kernel;
import dev.kiln.processor.read.LayerDecl;
import dev.kiln.processor.read.NodeDecl;
import java.util.ArrayList;
import java.util.List;

/**
 * {@code @DepthwiseConv2D}: Keras's {@code DepthwiseConv2D} (channels last). Lowered like {@link ConvKind}: im2col
 * gathers each output position's receptive field into a planned buffer of rows, then {@code DepthwiseKernel} multiplies
 * each channel's taps by that channel's own filters (output channel {@code c * depthMultiplier + m}); bias and
 * activation as Dense's. Backward: the kernel's gradient from the rows and {@code dy}, then the rows' gradient
 * overwrites the buffer and col2im adds it onto the input's.
 */
@AutoService(LayerKind.class)
public final class DepthwiseConv2DKind extends LayerKind<DepthwiseConv2DKind.Attributes> {
    static final Kernel CONV = Kernel.of("ConvKernel");
    static final Kernel DEPTHWISE = Kernel.of("DepthwiseKernel");

    public record Attributes(int[] kernelSize, int[] strides, Padding padding, int depthMultiplier,
            int[] dilationRate, Activation activation, boolean useBias, Initializer depthwiseInitializer,
            Initializer biasInitializer, boolean trainable) {
        SlidingWindow window(int axis) {
            return new SlidingWindow(SlidingWindow.pick(kernelSize, axis), SlidingWindow.pick(strides, axis),
                    SlidingWindow.pick(dilationRate, axis), padding);
        }
    }

    @Override
    public String annotation() {
        return "DepthwiseConv2D";
    }

    @Override
    public Example example() {
        return Example.of("@DepthwiseConv2D(kernelSize = {3, 2}, strides = {2, 1}, padding = Padding.SAME,"
                + " depthMultiplier = 2, activation = Activation.TANH)", new long[] {5, 4, 2});
    }

    @Override
    protected Attributes decode(LayerDecl d) {
        return new Attributes(d.integers("kernelSize"), d.integers("strides"), d.constant("padding", Padding.class),
                d.integer("depthMultiplier"), d.integers("dilationRate"), d.constant("activation", Activation.class),
                d.flag("useBias"), d.constant("depthwiseInitializer", Initializer.class),
                d.constant("biasInitializer", Initializer.class), d.flag("trainable"));
    }

    @Override
    protected void validate(NodeDecl node, Attributes a, Report report) {
        validate(annotation(), node, a.padding(), a.depthMultiplier(), a.kernelSize(), a.strides(), a.dilationRate(),
                report);
    }

    /** The checks DepthwiseConv2D and SeparableConv2D share. */
    static void validate(String annotation, NodeDecl node, Padding padding, int depthMultiplier, int[] kernelSize,
            int[] strides, int[] dilationRate, Report report) {
        Windows.notCausal(annotation, node, padding, report);
        if (depthMultiplier < 1) {
            report.add(Rule.ILLEGAL_ATTRIBUTE, Site.attribute(node.name(), annotation, "depthMultiplier"), annotation
                    + " '" + node.name() + "' has depthMultiplier = " + depthMultiplier + ", but each channel needs"
                    + " at least one filter. Use depthMultiplier = 1 or more.");
        }
        ConvKind.windows(annotation, node, 2, kernelSize, strides, dilationRate, report);
    }

    /** {@code (outH, outW, channels)} for an input {@code (h, w, in)}, or null when reported. */
    static long[] spatial(String annotation, NodeDecl node, Shape in, int[] kernelSize, SlidingWindow h,
            SlidingWindow w, Report report) {
        if (!Windows.rank(annotation, node, in, 2, report) || !ShapeKinds.fixed(annotation, node, in, report)) {
            return null;
        }
        return ConvKind.spatial(annotation, node, in, kernelSize, new SlidingWindow[] {h, w}, 3, report);
    }

    @Override
    protected Shape outputShape(NodeDecl node, Attributes a, List<Shape> inputs, Report report) {
        Shape in = inputs.get(0);
        long[] out = spatial(annotation(), node, in, a.kernelSize(), a.window(0), a.window(1), report);
        if (out == null) {
            return null;
        }
        out[2] = in.dim(2) * a.depthMultiplier();
        return Shape.of(out);
    }

    @Override
    protected List<Variable> variables(Attributes a, List<Shape> inputs) {
        long in = inputs.get(0).last();
        List<Variable> vars = new ArrayList<>();
        vars.add(new Variable("kernel", Shape.of(a.window(0).size(), a.window(1).size(), in, a.depthMultiplier()),
                a.depthwiseInitializer(), a.trainable()));
        if (a.useBias()) {
            vars.add(new Variable("bias", Shape.of(in * a.depthMultiplier()), a.biasInitializer(), a.trainable()));
        }
        return vars;
    }

    @Override
    protected long forwardMacs(Attributes a, List<Shape> inputs, Shape output) {
        return output.elements() * a.window(0).size() * a.window(1).size();
    }

    @Override
    protected Activation outputActivation(Attributes a, Shape output) {
        return a.activation();
    }

    @Override
    protected void forward(Node node, Attributes a, Lowerer c) {
        String columns = gather(node, a.window(0), a.window(1), c);
        WeightFields kernel = c.weight(node, "kernel");
        long channels = c.shape(node.inputs().get(0)).last();
        DenseKind.affineForward(node, a.activation(), c, target -> c.call(DEPTHWISE, "forward", target + " = each"
                + " channel's taps in " + columns + " @ its own filters", ref(columns), ref(kernel.field()),
                ref(target), integer(channels), integer(a.depthMultiplier())));
    }

    /**
     * im2col of the node's input into a new planned buffer of rows, {@code (outH * outW, kh * kw * in)} per sample,
     * stored as the node's {@code /columns} value; returns its field.
     */
    static String gather(Node node, SlidingWindow h, SlidingWindow w, Lowerer c) {
        String input = node.inputs().get(0);
        Shape in = c.shape(input);
        Shape out = node.shape();
        String x = c.value(input);
        String columns = c.buffer(node.name() + "Columns", Shape.of(out.dim(0) * out.dim(1),
                (long) h.size() * w.size() * in.last()));
        c.setValue(node.name() + "/columns", columns);
        c.call(CONV, "im2col", columns + ": each output position's receptive field as a row", ConvKind.geometry(h, w,
                in.dim(0), in.dim(1), out.dim(0), out.dim(1), ref(x), ref(columns)));
        return columns;
    }

    @Override
    protected void backward(Node node, Attributes a, Lowerer c) {
        DenseKind.activationBackward(node, a.activation(), c);
        depthwiseBackward(node, c.gradient(node.name()), "kernel", a.depthMultiplier(), a.window(0), a.window(1), c);
    }

    /**
     * From {@code dy}, the gradient of the depthwise product (shape {@code (outH, outW, in * depthMultiplier)}): the
     * gradient of the depthwise weight {@code kernelSuffix}, then, when the input needs one, the rows' gradient into
     * the {@code /columns} buffer and col2im onto the input's gradient.
     */
    static void depthwiseBackward(Node node, String dy, String kernelSuffix, int depthMultiplier, SlidingWindow h,
            SlidingWindow w, Lowerer c) {
        String input = node.inputs().get(0);
        String columns = c.value(node.name() + "/columns");
        WeightFields kernel = c.weight(node, kernelSuffix);
        long channels = c.shape(input).last();
        if (kernel.gradientField() != null) {
            boolean shared = c.accumulateWeight(kernel);
            c.call(DEPTHWISE, "kernelGradient", "each channel's rows of " + columns + "^T @ its columns of " + dy
                    + (shared ? ", added to the shared kernel's gradient" : ""), ref(columns), ref(dy),
                    ref(kernel.gradientField()), bool(shared), integer(channels), integer(depthMultiplier));
        }
        if (!c.needsGradient(input)) {
            return;
        }
        String dx = c.gradient(input);
        boolean acc = c.accumulate(input);
        Shape in = c.shape(input);
        c.call(DEPTHWISE, "columnsGradient", columns + " = " + dy + " @ each channel's filters^T, reusing the buffer",
                ref(dy), ref(kernel.field()), ref(columns), integer(channels), integer(depthMultiplier));
        c.call(CONV, "col2im", dx + (acc ? " += " : " = ") + "each row added back onto its receptive field",
                ConvKind.geometry(h, w, in.dim(0), in.dim(1), node.shape().dim(0), node.shape().dim(1), ref(columns),
                        ref(dx), bool(acc)));
    }

    @Override
    protected RuntimeConfig config(Attributes a, LayerDecl d) {
        return RuntimeConfig.of("DepthwiseConv2DConfig", Arg.ints(a.kernelSize()))
                .setting(d, "strides", Arg.ints(a.strides()))
                .setting(d, "padding", new Arg.Constant(Padding.class, a.padding().name()))
                .setting(d, "depthMultiplier", integer(a.depthMultiplier()))
                .setting(d, "dilationRate", Arg.ints(a.dilationRate()))
                .setting(d, "activation", new Arg.Constant(Activation.class, a.activation().name()))
                .setting(d, "useBias", bool(a.useBias()))
                .setting(d, "depthwiseInitializer", new Arg.Constant(Initializer.class,
                        a.depthwiseInitializer().name()))
                .setting(d, "biasInitializer", new Arg.Constant(Initializer.class, a.biasInitializer().name()))
                .setting(d, "trainable", bool(a.trainable()));
    }
}
