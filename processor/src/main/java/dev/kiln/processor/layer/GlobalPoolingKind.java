package dev.kiln.processor.layer;

import static dev.kiln.processor.layer.Arg.bool;
import static dev.kiln.processor.layer.Arg.integer;
import static dev.kiln.processor.layer.Arg.ref;

import com.google.auto.service.AutoService;
import dev.kiln.processor.Report;
import dev.kiln.processor.graph.Node;
import dev.kiln.processor.graph.Shape;
import dev.kiln.processor.layer.Call.Kernel;
import dev.kiln.processor.read.LayerDecl;
import dev.kiln.processor.read.NodeDecl;
import java.util.List;

/**
 * Keras's {@code GlobalMaxPooling1D/2D} and {@code GlobalAveragePooling1D/2D} (channels last, {@code keepdims=False}):
 * each channel reduced over every position to one value, {@code (..., channels) -> (channels)}. The maximum's position
 * is kept in a planned buffer for backward.
 */
public abstract class GlobalPoolingKind extends LayerKind<GlobalPoolingKind.Attributes> {
    private static final Kernel KERNEL = Kernel.of("GlobalPoolingKernel");

    /** Global pooling has no attributes. */
    public record Attributes() {
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
        return (max() ? "GlobalMaxPooling" : "GlobalAveragePooling") + rank() + "D";
    }

    @Override
    public Example example() {
        return Example.of("@" + annotation(), rank() == 2 ? new long[] {3, 2, 4} : new long[] {5, 3});
    }

    @Override
    protected Attributes decode(LayerDecl d) {
        return new Attributes();
    }

    /** Keras's GlobalAveragePooling1D averages over the steps a mask keeps; the other global poolings take none. */
    @Override
    protected MaskUse maskUse(Attributes a) {
        return !max() && rank() == 1 ? MaskUse.CONSUMES : MaskUse.NONE;
    }

    @Override
    protected Shape outputShape(NodeDecl node, Attributes a, List<Shape> inputs, Report report) {
        Shape in = inputs.get(0);
        if (!Windows.rank(annotation(), node, in, rank(), report) || !ShapeKinds.fixed(annotation(), node, in, report)) {
            return null;
        }
        return Shape.of(in.last());
    }

    @Override
    protected long forwardMacs(Attributes a, List<Shape> inputs, Shape output) {
        return inputs.get(0).elements();
    }

    @Override
    protected void forward(Node node, Attributes a, Lowerer c) {
        String x = c.value(node.inputs().get(0));
        String y = c.value(node.name());
        if (max()) {
            String argmax = c.buffer(node.name() + "Argmax", node.shape());
            c.setValue(node.name() + "/argmax", argmax);
            c.call(KERNEL, "maxForward", y + " = max of each channel, its position in " + argmax, ref(x), ref(y),
                    ref(argmax));
        } else if (c.mask(node.inputs().get(0)) != null) {
            c.call(KERNEL, "averageForward", y + " = mean of each channel over the steps the mask keeps", ref(x),
                    ref(c.mask(node.inputs().get(0))), ref(y));
        } else {
            c.call(KERNEL, "averageForward", y + " = mean of each channel", ref(x), ref(y));
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
        if (max()) {
            c.call(KERNEL, "maxBackward", dx + (acc ? " += " : " = ") + dy + " at each channel's maximum", ref(dy),
                    ref(c.value(node.name() + "/argmax")), ref(dx), bool(acc));
        } else if (c.mask(input) != null) {
            c.call(KERNEL, "averageBackward", dx + (acc ? " += " : " = ") + dy + " / kept steps, 0 on the masked ones",
                    ref(dy), ref(c.mask(input)), ref(dx), bool(acc));
        } else {
            c.call(KERNEL, "averageBackward", dx + (acc ? " += " : " = ") + dy + " / positions", ref(dy), ref(dx),
                    bool(acc));
        }
    }

    @Override
    protected RuntimeConfig config(Attributes a, LayerDecl d) {
        return RuntimeConfig.of("GlobalPoolingConfig", new Arg.RuntimeConstant(RuntimeConfig.PACKAGE, "PoolingConfig",
                "Op", op()), integer(rank()));
    }

    @AutoService(LayerKind.class)
    public static final class GlobalMaxPooling1D extends GlobalPoolingKind {
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
    public static final class GlobalMaxPooling2D extends GlobalPoolingKind {
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
    public static final class GlobalAveragePooling1D extends GlobalPoolingKind {
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
    public static final class GlobalAveragePooling2D extends GlobalPoolingKind {
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
