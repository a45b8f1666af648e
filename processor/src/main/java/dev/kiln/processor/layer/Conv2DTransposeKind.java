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
import java.util.Arrays;
import java.util.List;

/**
 * {@code @Conv2DTranspose}: Keras's {@code Conv2DTranspose} (channels last), lowered as the input gradient of a
 * {@link ConvKind} convolution run forward: one gemm, {@code columns = x @ kernel^T} (each input pixel's contribution
 * to every tap, {@code (h * w, kh * kw * filters)} per sample, in a planned buffer), then col2im adds the rows onto
 * the output grid, with bias and activation as Dense's. Backward is the convolution itself: im2col of {@code dy} into
 * the same buffer, then {@code dKernel = columns^T @ x} and {@code dx = columns @ kernel}.
 *
 * <p>The output size and where it starts on the full (uncropped) grid follow Keras's {@code
 * compute_conv_transpose_output_shape} and its padding conversion for JAX: the crop before is {@code k' - 1 -
 * leftPad}.
 */
@AutoService(LayerKind.class)
public final class Conv2DTransposeKind extends LayerKind<Conv2DTransposeKind.Attributes> {
    public record Attributes(int filters, int[] kernelSize, int[] strides, Padding padding, int[] outputPadding,
            int[] dilationRate, Activation activation, boolean useBias, Initializer kernelInitializer,
            Initializer biasInitializer, boolean trainable) {
        Axis axis(int axis) {
            return new Axis(SlidingWindow.pick(kernelSize, axis), SlidingWindow.pick(strides, axis),
                    SlidingWindow.pick(dilationRate, axis), padding,
                    outputPadding.length == 0 ? -1 : SlidingWindow.pick(outputPadding, axis));
        }
    }

    /** One spatial axis: kernel size, stride, dilation, padding, and the output padding ({@code -1} for None). */
    record Axis(int size, int stride, int dilation, Padding padding, int outputPadding) {
        /** The dilated kernel's span, {@code k' = (k - 1) * d + 1}. */
        long span() {
            return (long) (size - 1) * dilation + 1;
        }

        /** Keras's output length for an input of {@code n}. */
        long out(long n) {
            if (padding == Padding.VALID) {
                return (n - 1) * stride + (outputPadding < 0 ? Math.max(span(), stride) : span() + outputPadding);
            }
            return outputPadding < 0 ? n * stride : (n - 1) * stride + span() % 2 + outputPadding;
        }

        /** Cells of the full grid {@code (n - 1) * s + k'} cut before the output's first. */
        long crop() {
            if (padding == Padding.VALID) {
                return 0;
            }
            long padLength = outputPadding < 0 ? stride + span() - 2 : span() + span() % 2 - 2 + outputPadding;
            long left = Math.min(padLength / 2 + padLength % 2, span() - 1);
            return span() - 1 - left;
        }
    }

    @Override
    public String annotation() {
        return "Conv2DTranspose";
    }

    @Override
    public Example example() {
        return Example.of("@Conv2DTranspose(filters = 2, kernelSize = {3, 2}, strides = {2, 1}, padding = Padding.SAME,"
                + " activation = Activation.TANH)", new long[] {3, 4, 2});
    }

    @Override
    protected Attributes decode(LayerDecl d) {
        return new Attributes(d.integer("filters"), d.integers("kernelSize"), d.integers("strides"),
                d.constant("padding", Padding.class), d.integers("outputPadding"), d.integers("dilationRate"),
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
        Windows.notCausal(annotation(), node, a.padding(), report);
        ConvKind.windows(annotation(), node, 2, a.kernelSize(), a.strides(), a.dilationRate(), report);
        int[] op = a.outputPadding();
        if (op.length == 0) {
            return;
        }
        Site site = Site.attribute(node.name(), annotation(), "outputPadding");
        if (op.length > 2 || Arrays.stream(op).anyMatch(p -> p < 0)) {
            report.add(Rule.ILLEGAL_ATTRIBUTE, site, annotation() + " '" + node.name() + "' has outputPadding = "
                    + Arrays.toString(op) + ", but takes one value for both spatial axes or two (height, width), none"
                    + " negative, or none at all for Keras's None.");
            return;
        }
        if (a.strides().length > 2 || Arrays.stream(a.strides()).anyMatch(s -> s < 1)) {
            return; // reported on strides
        }
        for (int axis = 0; axis < 2; axis++) {
            int p = SlidingWindow.pick(op, axis);
            int s = SlidingWindow.pick(a.strides(), axis);
            if (p >= s) {
                report.add(Rule.ILLEGAL_ATTRIBUTE, site, annotation() + " '" + node.name() + "' has outputPadding = "
                        + Arrays.toString(op) + " and strides = " + Arrays.toString(a.strides()) + ", but Keras needs"
                        + " each output padding below its stride (" + p + " >= " + s + " along axis " + (axis + 1)
                        + "). Use a smaller outputPadding or leave it out.");
                return;
            }
        }
    }

    @Override
    protected Shape outputShape(NodeDecl node, Attributes a, List<Shape> inputs, Report report) {
        Shape in = inputs.get(0);
        if (!Windows.rank(annotation(), node, in, 2, report) || !ShapeKinds.fixed(annotation(), node, in, report)) {
            return null;
        }
        long[] out = new long[3];
        for (int axis = 0; axis < 2; axis++) {
            out[axis] = a.axis(axis).out(in.dim(axis));
            if (out[axis] < 1) {
                report.add(Rule.SHAPE_MISMATCH, Site.attribute(node.name(), annotation(), "outputPadding"), annotation()
                        + " '" + node.name() + "' gives an output of " + out[axis] + " along axis " + (axis + 1)
                        + " for its input '" + node.parameters().get(0) + "' of shape " + in + ": (n - 1) * stride + "
                        + a.axis(axis).span() + " % 2 + outputPadding. Use an odd kernel or a larger outputPadding.");
                return null;
            }
        }
        out[2] = a.filters();
        return Shape.of(out);
    }

    @Override
    protected List<Variable> variables(Attributes a, List<Shape> inputs) {
        List<Variable> vars = new ArrayList<>();
        vars.add(new Variable("kernel", Shape.of(a.axis(0).size(), a.axis(1).size(), a.filters(),
                inputs.get(0).last()), a.kernelInitializer(), a.trainable()));
        if (a.useBias()) {
            vars.add(new Variable("bias", Shape.of(a.filters()), a.biasInitializer(), a.trainable()));
        }
        return vars;
    }

    @Override
    protected long forwardMacs(Attributes a, List<Shape> inputs, Shape output) {
        return inputs.get(0).elements() * a.axis(0).size() * a.axis(1).size() * a.filters();
    }

    @Override
    protected Activation outputActivation(Attributes a, Shape output) {
        return a.activation();
    }

    @Override
    protected void forward(Node node, Attributes a, Lowerer c) {
        String input = node.inputs().get(0);
        Shape in = c.shape(input);
        String x = c.value(input);
        String columns = c.buffer(node.name() + "Columns", Shape.of(in.dim(0) * in.dim(1),
                (long) a.axis(0).size() * a.axis(1).size() * a.filters()));
        c.setValue(node.name() + "/columns", columns);
        WeightFields kernel = c.weight(node, "kernel");
        c.call(Call.KERNELS, "gemm", columns + " = " + x + " @ kernel^T: each input pixel's share of every tap", ref(x),
                ref(kernel.field()), ref(columns), bool(false), bool(true));
        DenseKind.affineForward(node, a.activation(), c, target -> c.call(DepthwiseConv2DKind.CONV, "col2im", target
                + " = each row added onto the output cells its taps reach", geometry(a, in, ref(columns), ref(target),
                bool(false))));
    }

    @Override
    protected void backward(Node node, Attributes a, Lowerer c) {
        String input = node.inputs().get(0);
        String x = c.value(input);
        String columns = c.value(node.name() + "/columns");
        String dy = c.gradient(node.name());
        WeightFields kernel = c.weight(node, "kernel");
        DenseKind.activationBackward(node, a.activation(), c);
        boolean dx = c.needsGradient(input);
        if (kernel.gradientField() == null && !dx) {
            return;
        }
        c.call(DepthwiseConv2DKind.CONV, "im2col", columns + " = the taps of " + dy + " each input pixel reaches,"
                + " reusing the buffer", geometry(a, c.shape(input), ref(dy), ref(columns)));
        if (kernel.gradientField() != null) {
            boolean shared = c.accumulateWeight(kernel);
            c.call(Call.KERNELS, shared ? "gemmAccumulate" : "gemm", columns + "^T @ " + x + (shared
                    ? ", added to the shared kernel's gradient" : ", straight into the kernel's gradient"),
                    ref(columns), ref(x), ref(kernel.gradientField()), bool(true), bool(false));
        }
        if (dx) {
            String g = c.gradient(input);
            boolean acc = c.accumulate(input);
            c.call(Call.KERNELS, acc ? "gemmAccumulate" : "gemm", g + (acc ? " += " : " = ") + columns + " @ kernel",
                    ref(columns), ref(kernel.field()), ref(g), bool(false), bool(false));
        }
    }

    /**
     * {@code head} then ConvKernel's geometry with the input's grid as the convolution's output and this layer's output
     * as its image: outH, outW (the input's), kh, kw, sh, sw, dh, dw, cropTop, cropLeft.
     */
    private static Arg[] geometry(Attributes a, Shape in, Arg... head) {
        List<Arg> args = new ArrayList<>(Arrays.asList(head));
        Axis h = a.axis(0);
        Axis w = a.axis(1);
        args.addAll(List.of(integer(in.dim(0)), integer(in.dim(1)), integer(h.size()), integer(w.size()),
                integer(h.stride()), integer(w.stride()), integer(h.dilation()), integer(w.dilation()),
                integer(h.crop()), integer(w.crop())));
        return args.toArray(Arg[]::new);
    }

    @Override
    protected RuntimeConfig config(Attributes a, LayerDecl d) {
        return RuntimeConfig.of("Conv2DTransposeConfig", integer(a.filters()), Arg.ints(a.kernelSize()))
                .setting(d, "strides", Arg.ints(a.strides()))
                .setting(d, "padding", new Arg.Constant(Padding.class, a.padding().name()))
                .setting(d, "outputPadding", Arg.ints(a.outputPadding()))
                .setting(d, "dilationRate", Arg.ints(a.dilationRate()))
                .setting(d, "activation", new Arg.Constant(Activation.class, a.activation().name()))
                .setting(d, "useBias", bool(a.useBias()))
                .setting(d, "kernelInitializer", new Arg.Constant(Initializer.class, a.kernelInitializer().name()))
                .setting(d, "biasInitializer", new Arg.Constant(Initializer.class, a.biasInitializer().name()))
                .setting(d, "trainable", bool(a.trainable()));
    }
}
