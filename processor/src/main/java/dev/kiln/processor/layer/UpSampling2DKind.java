package dev.kiln.processor.layer;

import static dev.kiln.processor.layer.Arg.bool;
import static dev.kiln.processor.layer.Arg.integer;
import static dev.kiln.processor.layer.Arg.ref;

import com.google.auto.service.AutoService;
import dev.kiln.dsl.Interpolation;
import dev.kiln.processor.Report;
import dev.kiln.processor.graph.Node;
import dev.kiln.processor.graph.Shape;
import dev.kiln.processor.layer.Call.Kernel;
import dev.kiln.processor.read.LayerDecl;
import dev.kiln.processor.read.NodeDecl;
import java.util.List;

/**
 * {@code @UpSampling2D(size, interpolation)}: Keras's {@code UpSampling2D}. Nearest: backward sums each block of the
 * gradient. Bilinear: each output cell a weighted sum of at most four input pixels, backward the same weights scattered
 * back.
 */
@AutoService(LayerKind.class)
public final class UpSampling2DKind extends LayerKind<UpSampling2DKind.Attributes> {
    private static final Kernel KERNEL = Kernel.of("UpSamplingKernel");

    /** {@code size} as written, and the interpolation. */
    public record Attributes(int[] size, Interpolation interpolation) {
    }

    @Override
    public String annotation() {
        return "UpSampling2D";
    }

    @Override
    public Example example() {
        return Example.of("@UpSampling2D(size = {2, 3}, interpolation = Interpolation.BILINEAR)", new long[] {2, 3, 2});
    }

    @Override
    protected Attributes decode(LayerDecl d) {
        return new Attributes(d.integers("size"), d.constant("interpolation", Interpolation.class));
    }

    @Override
    protected void validate(NodeDecl node, Attributes a, Report report) {
        Windows.positive(annotation(), node, "size", "factor", a.size(), 2, report);
    }

    @Override
    protected Shape outputShape(NodeDecl node, Attributes a, List<Shape> inputs, Report report) {
        Shape in = inputs.get(0);
        if (!Windows.rank(annotation(), node, in, 2, report) || !ShapeKinds.fixed(annotation(), node, in, report)) {
            return null;
        }
        return Shape.of(in.dim(0) * SlidingWindow.pick(a.size(), 0), in.dim(1) * SlidingWindow.pick(a.size(), 1),
                in.dim(2));
    }

    @Override
    protected void forward(Node node, Attributes a, Lowerer c) {
        String y = c.value(node.name());
        String x = c.value(node.inputs().get(0));
        if (a.interpolation() == Interpolation.BILINEAR) {
            c.call(KERNEL, "bilinearForward", y + " = " + x + " interpolated at half-pixel centres", ref(x), ref(y),
                    integer(SlidingWindow.pick(a.size(), 0)), integer(SlidingWindow.pick(a.size(), 1)));
            return;
        }
        c.call(KERNEL, "forward", y + " = each pixel of " + x + " repeated", ref(x), ref(y),
                integer(SlidingWindow.pick(a.size(), 0)), integer(SlidingWindow.pick(a.size(), 1)));
    }

    @Override
    protected void backward(Node node, Attributes a, Lowerer c) {
        String dy = c.gradient(node.name());
        if (a.interpolation() == Interpolation.BILINEAR) {
            Stateless.eachInput(node, c, (index, dx, acc, what) -> c.call(KERNEL, "bilinearBackward", what + dy
                    + " scattered back with the interpolation's weights", ref(dy), ref(dx), bool(acc),
                    integer(SlidingWindow.pick(a.size(), 0)), integer(SlidingWindow.pick(a.size(), 1))));
            return;
        }
        Stateless.eachInput(node, c, (index, dx, acc, what) -> c.call(KERNEL, "backward", what + "the sum of each"
                + " block of " + dy, ref(dy), ref(dx), bool(acc), integer(SlidingWindow.pick(a.size(), 0)),
                integer(SlidingWindow.pick(a.size(), 1))));
    }

    @Override
    protected RuntimeConfig config(Attributes a, LayerDecl d) {
        return RuntimeConfig.of("UpSampling2DConfig").setting(d, "size", Arg.ints(a.size()))
                .setting(d, "interpolation", new Arg.Constant(Interpolation.class, a.interpolation().name()));
    }
}
