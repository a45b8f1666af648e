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
import java.util.Arrays;
import java.util.List;

/**
 * Keras's {@code Conv1D} and {@code Conv2D} (channels last), one kind per annotation, on the kernels {@link ConvRoute}
 * picks per layer. Most run on ND4J's convolution ops (oneDNN), the bias and activation after them in one fused pass.
 * The others are lowered as im2col: the input's receptive fields are gathered into a planned buffer of rows, {@code
 * (outH * outW, kh * kw * in)} per sample, so that the convolution is Dense's lowering on those rows ({@code y =
 * columns @ kernel}, bias and activation fused). Backward reuses the buffer: the kernel's gradient {@code
 * columns^T @ dy} first, then {@code dy @ kernel^T} overwrites it and col2im adds it back onto the input's gradient. A
 * 1D layer runs as a 2D one of height 1.
 */
public abstract class ConvKind extends LayerKind<ConvKind.Attributes> {
    private static final Kernel KERNEL = Kernel.of("ConvKernel");
    private static final Kernel NATIVE = Kernel.of("NativeConvKernel");

    public record Attributes(int rank, int filters, int[] kernelSize, int[] strides, Padding padding,
            int[] dilationRate, Activation activation, boolean useBias, Initializer kernelInitializer,
            Initializer biasInitializer, boolean trainable) {
        /** The window along spatial axis {@code axis} (0 the first after the batch). */
        SlidingWindow window(int axis) {
            return new SlidingWindow(SlidingWindow.pick(kernelSize, axis), SlidingWindow.pick(strides, axis),
                    SlidingWindow.pick(dilationRate, axis), padding);
        }
    }

    /** The number of spatial axes. */
    abstract int rank();

    @Override
    public String annotation() {
        return "Conv" + rank() + "D";
    }

    @Override
    protected Attributes decode(LayerDecl d) {
        return new Attributes(rank(), d.integer("filters"), d.integers("kernelSize"), d.integers("strides"),
                d.constant("padding", Padding.class), d.integers("dilationRate"),
                d.constant("activation", Activation.class), d.flag("useBias"),
                d.constant("kernelInitializer", Initializer.class), d.constant("biasInitializer", Initializer.class),
                d.flag("trainable"));
    }

    @Override
    protected void validate(NodeDecl node, Attributes a, Report report) {
        if (a.filters() <= 0) {
            report.add(Rule.ILLEGAL_ATTRIBUTE, Site.attribute(node.name(), annotation(), "filters"), annotation() + " '"
                    + node.name() + "' has filters = " + a.filters() + ", but a convolution needs at least one filter."
                    + " Use a positive count, e.g. @" + annotation() + "(filters = 32, kernelSize = 3).");
        }
        if (rank() != 1) {
            Windows.notCausal(annotation(), node, a.padding(), report);
        }
        windows(annotation(), node, rank(), a.kernelSize(), a.strides(), a.dilationRate(), report);
    }

    /**
     * Reports kernel sizes, strides and dilation rates that are not one positive value per axis (or one for all), and
     * a stride above 1 combined with a dilation above 1, which Keras refuses.
     */
    static void windows(String annotation, NodeDecl node, int rank, int[] kernelSize, int[] strides,
            int[] dilationRate, Report report) {
        boolean sizes = Windows.positive(annotation, node, "kernelSize", "kernel size", kernelSize, rank, report);
        boolean stride = Windows.positive(annotation, node, "strides", "stride", strides, rank, report);
        boolean dilations = Windows.positive(annotation, node, "dilationRate", "dilation rate", dilationRate, rank,
                report);
        if (sizes && stride && dilations && Arrays.stream(strides).anyMatch(s -> s > 1)
                && Arrays.stream(dilationRate).anyMatch(d -> d > 1)) {
            report.add(Rule.ILLEGAL_ATTRIBUTE, Site.attribute(node.name(), annotation, "strides"), annotation + " '"
                    + node.name() + "' has strides = " + Arrays.toString(strides) + " and dilationRate = "
                    + Arrays.toString(dilationRate) + ", but Keras does not combine a stride above 1 with a"
                    + " dilation above 1. Use strides = 1 with the dilation, or no dilation.");
        }
    }

    @Override
    protected Shape outputShape(NodeDecl node, Attributes a, List<Shape> inputs, Report report) {
        Shape in = inputs.get(0);
        if (!Windows.rank(annotation(), node, in, rank(), report) || !ShapeKinds.fixed(annotation(), node, in, report)) {
            return null;
        }
        SlidingWindow[] windows = new SlidingWindow[rank()];
        for (int axis = 0; axis < rank(); axis++) {
            windows[axis] = a.window(axis);
        }
        long[] out = spatial(annotation(), node, in, a.kernelSize(), windows, rank() + 1, report);
        if (out == null) {
            return null;
        }
        out[rank()] = a.filters();
        return Shape.of(out);
    }

    /**
     * The output's spatial sizes under {@code windows} (one per spatial axis of {@code in}) in an array of {@code
     * length}, or null when a {@code VALID} window does not fit, which it reports on {@code kernelSize}.
     */
    static long[] spatial(String annotation, NodeDecl node, Shape in, int[] kernelSize, SlidingWindow[] windows,
            int length, Report report) {
        long[] out = new long[length];
        for (int axis = 0; axis < windows.length; axis++) {
            SlidingWindow w = windows[axis];
            out[axis] = w.out(in.dim(axis));
            if (out[axis] < 1) {
                report.add(Rule.SHAPE_MISMATCH, Site.attribute(node.name(), annotation, "kernelSize"), annotation
                        + " '" + node.name() + "' has kernelSize = " + Arrays.toString(kernelSize) + ", which spans "
                        + w.span() + (w.dilation() > 1 ? " with dilationRate " + w.dilation() : "") + " along axis "
                        + (axis + 1) + ", but its input '" + node.parameters().get(0) + "' of shape " + in + " has only "
                        + in.dim(axis) + " there, so padding = VALID leaves no output. Use padding = Padding.SAME or a"
                        + " smaller kernel.");
                return null;
            }
        }
        return out;
    }

    @Override
    protected List<Variable> variables(Attributes a, List<Shape> inputs) {
        long[] dims = new long[rank() + 2];
        for (int axis = 0; axis < rank(); axis++) {
            dims[axis] = a.window(axis).size();
        }
        dims[rank()] = inputs.get(0).last();
        dims[rank() + 1] = a.filters();
        List<Variable> vars = new ArrayList<>();
        vars.add(new Variable("kernel", Shape.of(dims), a.kernelInitializer(), a.trainable()));
        if (a.useBias()) {
            vars.add(new Variable("bias", Shape.of(a.filters()), a.biasInitializer(), a.trainable()));
        }
        return vars;
    }

    @Override
    protected long forwardMacs(Attributes a, List<Shape> inputs, Shape output) {
        return output.elements() * columns(a, inputs.get(0));
    }

    @Override
    protected Activation outputActivation(Attributes a, Shape output) {
        return a.activation();
    }

    /** Elements of one gathered row: the kernel's taps times the input's channels. */
    private long columns(Attributes a, Shape in) {
        long n = in.last();
        for (int axis = 0; axis < rank(); axis++) {
            n *= a.window(axis).size();
        }
        return n;
    }

    /** The kernels that run this layer on {@code in}: {@link ConvRoute} says which and why. */
    private ConvRoute route(Attributes a, Shape in) {
        SlidingWindow[] windows = new SlidingWindow[rank()];
        for (int axis = 0; axis < rank(); axis++) {
            windows[axis] = a.window(axis);
        }
        return ConvRoute.of(windows, in);
    }

    @Override
    protected void forward(Node node, Attributes a, Lowerer c) {
        String input = node.inputs().get(0);
        Shape in = c.shape(input);
        Shape out = node.shape();
        String x = c.value(input);
        if (route(a, in) == ConvRoute.NATIVE) {
            WeightFields kernel = c.weight(node, "kernel");
            DenseKind.affineForward(node, a.activation(), c, target -> c.call(NATIVE, "forward", target + " = " + x
                    + " convolved with the kernel", with(a, in, out, ref(x), ref(kernel.field()), ref(target))));
            return;
        }
        String columns = gather(node, a, x, in, c);
        c.setValue(node.name() + "/columns", columns);
        DenseKind.affineForward(node, a.activation(), columns, c);
    }

    /** im2col of {@code x} into a new buffer of columns, whose field it returns. */
    private String gather(Node node, Attributes a, String x, Shape in, Lowerer c) {
        Shape out = node.shape();
        long positions = out.elements() / out.last();
        String columns = c.buffer(node.name() + "Columns", Shape.of(positions, columns(a, in)));
        c.call(KERNEL, "im2col", columns + ": each output position's receptive field as a row", with(a, in, out,
                ref(x), ref(columns)));
        return columns;
    }

    /**
     * The activation's and bias's backward pass, then both gradients in one {@code conv2d_bp} where the route is
     * native and both are wanted and written afresh; otherwise the im2col GEMMs (gathering the columns here when the
     * forward pass did not): {@code columns^T @ dy} into the kernel's gradient, then {@code dy @ kernel^T} over the
     * columns and col2im onto the input's.
     */
    @Override
    protected void backward(Node node, Attributes a, Lowerer c) {
        String input = node.inputs().get(0);
        Shape in = c.shape(input);
        String x = c.value(input);
        String dy = c.gradient(node.name());
        WeightFields kernel = c.weight(node, "kernel");
        boolean inputGradient = c.needsGradient(input);
        String dx = inputGradient ? c.gradient(input) : null;
        boolean acc = inputGradient && c.accumulate(input);
        boolean sharedKernel = kernel.gradientField() != null && c.accumulateWeight(kernel);
        boolean gathered = route(a, in) == ConvRoute.IM2COL;
        DenseKind.activationBackward(node, a.activation(), c);
        if (!gathered && inputGradient && !acc && kernel.gradientField() != null && !sharedKernel) {
            c.call(NATIVE, "backward", dx + " and the kernel's gradient, both at once", with(a, in, node.shape(),
                    ref(x), ref(kernel.field()), ref(dy), ref(dx), ref(kernel.gradientField())));
            return;
        }
        String columns = gathered ? c.value(node.name() + "/columns") : null;
        if (kernel.gradientField() != null) {
            if (columns == null) {
                columns = gather(node, a, x, in, c);
            }
            DenseKind.kernelGradient(columns, dy, kernel, sharedKernel, c);
        }
        if (!inputGradient) {
            return;
        }
        if (columns == null) {
            long positions = node.shape().elements() / node.shape().last();
            columns = c.buffer(node.name() + "Columns", Shape.of(positions, columns(a, in)));
        }
        c.call(Call.KERNELS, "gemm", columns + " = " + dy + " @ kernel^T" + (gathered ? ", reusing the buffer" : ""),
                ref(dy), ref(kernel.field()), ref(columns), bool(false), bool(true));
        c.call(KERNEL, "col2im", dx + (acc ? " += " : " = ") + "each row added back onto its receptive field", with(a,
                in, node.shape(), ref(columns), ref(dx), bool(acc)));
    }

    /** {@code head} then the geometry: outH, outW, kh, kw, sh, sw, dh, dw, padTop, padLeft. */
    private Arg[] with(Attributes a, Shape in, Shape out, Arg... head) {
        SlidingWindow h = rank() == 2 ? a.window(0) : new SlidingWindow(1, 1, 1, Padding.VALID);
        SlidingWindow w = a.window(rank() - 1);
        long inH = rank() == 2 ? in.dim(0) : 1;
        return geometry(h, w, inH, in.dim(rank() - 1), rank() == 2 ? out.dim(0) : 1, out.dim(rank() - 1), head);
    }

    /**
     * {@code head} then {@code ConvKernel}'s geometry for an image of {@code (inH, inW)} and an
     * output grid of {@code (outH, outW)}: outH, outW, kh, kw, sh, sw, dh, dw, padTop, padLeft.
     */
    static Arg[] geometry(SlidingWindow h, SlidingWindow w, long inH, long inW, long outH, long outW, Arg... head) {
        List<Arg> args = new ArrayList<>(Arrays.asList(head));
        args.add(integer(outH));
        args.add(integer(outW));
        args.addAll(List.of(integer(h.size()), integer(w.size()), integer(h.stride()), integer(w.stride()),
                integer(h.dilation()), integer(w.dilation()), integer(h.before(inH)), integer(w.before(inW))));
        return args.toArray(Arg[]::new);
    }

    @Override
    protected RuntimeConfig config(Attributes a, LayerDecl d) {
        return RuntimeConfig.of("ConvConfig", integer(rank()), integer(a.filters()), Arg.ints(a.kernelSize()))
                .setting(d, "strides", Arg.ints(a.strides()))
                .setting(d, "padding", new Arg.Constant(Padding.class, a.padding().name()))
                .setting(d, "dilationRate", Arg.ints(a.dilationRate()))
                .setting(d, "activation", new Arg.Constant(Activation.class, a.activation().name()))
                .setting(d, "useBias", bool(a.useBias()))
                .setting(d, "kernelInitializer", new Arg.Constant(Initializer.class, a.kernelInitializer().name()))
                .setting(d, "biasInitializer", new Arg.Constant(Initializer.class, a.biasInitializer().name()))
                .setting(d, "trainable", bool(a.trainable()));
    }

    @AutoService(LayerKind.class)
    public static final class Conv1D extends ConvKind {
        @Override
        int rank() {
            return 1;
        }

        @Override
        public Example example() {
            return Example.of("@Conv1D(filters = 3, kernelSize = 2, padding = Padding.SAME, activation = Activation.TANH)",
                    new long[] {5, 2});
        }
    }

    @AutoService(LayerKind.class)
    public static final class Conv2D extends ConvKind {
        @Override
        int rank() {
            return 2;
        }

        @Override
        public Example example() {
            return Example.of("@Conv2D(filters = 3, kernelSize = {3, 2}, strides = {2, 1}, padding = Padding.SAME,"
                    + " activation = Activation.SIGMOID)", new long[] {5, 4, 2});
        }
    }
}
