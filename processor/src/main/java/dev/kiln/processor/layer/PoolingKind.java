package dev.kiln.processor.layer;

import static dev.kiln.processor.layer.Arg.bool;
import static dev.kiln.processor.layer.Arg.integer;
import static dev.kiln.processor.layer.Arg.ref;

import com.google.auto.service.AutoService;
import dev.kiln.dsl.Padding;
import dev.kiln.processor.Report;
import dev.kiln.processor.Rule;
import dev.kiln.processor.Site;
import dev.kiln.processor.graph.Node;
import dev.kiln.processor.graph.Shape;
import dev.kiln.processor.layer.Call.Kernel;
import dev.kiln.processor.read.LayerDecl;
import dev.kiln.processor.read.NodeDecl;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * Keras's {@code MaxPooling1D/2D} and {@code AveragePooling1D/2D} (channels last), one kind per annotation: one pass
 * over the windows each way. Max pooling runs on ND4J's pooling ops (oneDNN; {@code NativePoolingKernel}, with its
 * measurements: ~10x faster forward) where they can express the padding ({@link SlidingWindow#evenlyPadded}), and
 * otherwise keeps each maximum's place in its window in a planned buffer of the output's shape, so backward sends each
 * gradient straight there. A 1D layer runs as a 2D one of height 1.
 */
public abstract class PoolingKind extends LayerKind<PoolingKind.Attributes> {
    private static final Kernel KERNEL = Kernel.of("PoolingKernel");
    private static final Kernel NATIVE = Kernel.of("NativePoolingKernel");

    public record Attributes(int[] poolSize, int[] strides, Padding padding) {
        /** The window along spatial axis {@code axis}; no strides written means strides of the pool size. */
        SlidingWindow window(int axis) {
            int size = SlidingWindow.pick(poolSize, axis);
            return new SlidingWindow(size, strides.length == 0 ? size : SlidingWindow.pick(strides, axis), 1, padding);
        }
    }

    /** The runtime's {@code PoolingConfig.Op}: {@code MAX} or {@code AVERAGE}. */
    abstract String op();

    /** The number of spatial axes. */
    abstract int rank();

    private boolean max() {
        return op().equals("MAX");
    }

    @Override
    public String annotation() {
        return (max() ? "MaxPooling" : "AveragePooling") + rank() + "D";
    }

    @Override
    public Example example() {
        return rank() == 2
                ? Example.of("@" + annotation() + "(poolSize = {3, 2}, strides = {2, 1}, padding = Padding.SAME)",
                        new long[] {5, 4, 2})
                : Example.of("@" + annotation() + "(poolSize = 3, strides = 2)", new long[] {7, 2});
    }

    @Override
    protected Attributes decode(LayerDecl d) {
        return new Attributes(d.integers("poolSize"), d.integers("strides"), d.constant("padding", Padding.class));
    }

    @Override
    protected void validate(NodeDecl node, Attributes a, Report report) {
        Windows.notCausal(annotation(), node, a.padding(), report);
        Windows.positive(annotation(), node, "poolSize", "pool size", a.poolSize(), rank(), report);
        if (a.strides().length > 0) {
            Windows.positive(annotation(), node, "strides", "stride", a.strides(), rank(), report);
        }
    }

    @Override
    protected Shape outputShape(NodeDecl node, Attributes a, List<Shape> inputs, Report report) {
        Shape in = inputs.get(0);
        if (!Windows.rank(annotation(), node, in, rank(), report) || !ShapeKinds.fixed(annotation(), node, in, report)) {
            return null;
        }
        long[] out = in.dims();
        for (int axis = 0; axis < rank(); axis++) {
            out[axis] = a.window(axis).out(in.dim(axis));
            if (out[axis] < 1) {
                report.add(Rule.SHAPE_MISMATCH, Site.attribute(node.name(), annotation(), "poolSize"), annotation()
                        + " '" + node.name() + "' has poolSize = " + Arrays.toString(a.poolSize()) + ", but its input '"
                        + node.parameters().get(0) + "' of shape " + in + " has only " + in.dim(axis) + " along axis "
                        + (axis + 1) + ", so padding = VALID leaves no output. Use padding = Padding.SAME or a smaller"
                        + " pool.");
                return null;
            }
        }
        return Shape.of(out);
    }

    @Override
    protected long forwardMacs(Attributes a, List<Shape> inputs, Shape output) {
        long cells = 1;
        for (int axis = 0; axis < rank(); axis++) {
            cells *= a.window(axis).size();
        }
        return output.elements() * cells;
    }

    @Override
    protected void forward(Node node, Attributes a, Lowerer c) {
        String input = node.inputs().get(0);
        String x = c.value(input);
        String y = c.value(node.name());
        Shape in = c.shape(input);
        if (max() && nativeMax(a, in)) {
            c.call(NATIVE, "maxForward", y + " = max of each window", with(a, in, ref(x), ref(y)));
        } else if (max()) {
            String argmax = c.buffer(node.name() + "Argmax", node.shape());
            c.setValue(node.name() + "/argmax", argmax);
            c.call(KERNEL, "maxForward", y + " = max of each window, its place in " + argmax, with(a, in, ref(x),
                    ref(y), ref(argmax)));
        } else {
            c.call(KERNEL, "averageForward", y + " = mean of each window's cells inside " + x, with(a, in, ref(x),
                    ref(y)));
        }
    }

    @Override
    protected void backward(Node node, Attributes a, Lowerer c) {
        String input = node.inputs().get(0);
        if (!c.needsGradient(input)) {
            return;
        }
        String dy = c.gradient(node.name());
        String dx = c.gradient(input);
        boolean acc = c.accumulate(input);
        Shape in = c.shape(input);
        if (max() && nativeMax(a, in)) {
            // the op overwrites: a second contribution goes through a buffer of the input's shape, then is added
            String to = acc ? c.buffer(node.name() + "InputGradient", in) : dx;
            c.call(NATIVE, "maxBackward", to + " = " + dy + " at each window's first maximum in " + c.value(input),
                    with(a, in, ref(c.value(input)), ref(dy), ref(to)));
            if (acc) {
                c.call(Call.KERNELS, "copy", dx + " += " + to, ref(to), ref(dx), bool(true));
            }
        } else if (max()) {
            c.call(KERNEL, "maxBackward", dx + (acc ? " += " : " = ") + dy + " at each window's maximum", with(a, in,
                    ref(dy), ref(c.value(node.name() + "/argmax")), ref(dx), bool(acc)));
        } else {
            c.call(KERNEL, "averageBackward", dx + (acc ? " += " : " = ") + dy + " spread over each window", with(a,
                    in, ref(dy), ref(dx), bool(acc)));
        }
    }

    /** Whether max pooling over {@code in} runs on ND4J's ops: every axis padded alike on both sides. */
    private boolean nativeMax(Attributes a, Shape in) {
        for (int axis = 0; axis < rank(); axis++) {
            if (!a.window(axis).evenlyPadded(in.dim(axis))) {
                return false;
            }
        }
        return true;
    }

    /** {@code head} then the geometry: ph, pw, sh, sw, padTop, padLeft. */
    private Arg[] with(Attributes a, Shape in, Arg... head) {
        List<Arg> args = new ArrayList<>(Arrays.asList(head));
        SlidingWindow h = rank() == 2 ? a.window(0) : new SlidingWindow(1, 1, 1, Padding.VALID);
        SlidingWindow w = a.window(rank() - 1);
        long inH = rank() == 2 ? in.dim(0) : 1;
        args.addAll(List.of(integer(h.size()), integer(w.size()), integer(h.stride()), integer(w.stride()),
                integer(h.before(inH)), integer(w.before(in.dim(rank() - 1)))));
        return args.toArray(Arg[]::new);
    }

    @Override
    protected RuntimeConfig config(Attributes a, LayerDecl d) {
        return RuntimeConfig.of("PoolingConfig", new Arg.RuntimeConstant(RuntimeConfig.PACKAGE, "PoolingConfig", "Op",
                op()), integer(rank()))
                .setting(d, "poolSize", Arg.ints(a.poolSize()))
                .setting(d, "strides", Arg.ints(a.strides()))
                .setting(d, "padding", new Arg.Constant(Padding.class, a.padding().name()));
    }

    @AutoService(LayerKind.class)
    public static final class MaxPooling1D extends PoolingKind {
        @Override
        String op() {
            return "MAX";
        }

        @Override
        int rank() {
            return 1;
        }
    }

    @AutoService(LayerKind.class)
    public static final class MaxPooling2D extends PoolingKind {
        @Override
        String op() {
            return "MAX";
        }

        @Override
        int rank() {
            return 2;
        }
    }

    @AutoService(LayerKind.class)
    public static final class AveragePooling1D extends PoolingKind {
        @Override
        String op() {
            return "AVERAGE";
        }

        @Override
        int rank() {
            return 1;
        }
    }

    @AutoService(LayerKind.class)
    public static final class AveragePooling2D extends PoolingKind {
        @Override
        String op() {
            return "AVERAGE";
        }

        @Override
        int rank() {
            return 2;
        }
    }
}
