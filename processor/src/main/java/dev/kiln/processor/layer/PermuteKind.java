package dev.kiln.processor.layer;

import static dev.kiln.processor.layer.Arg.bool;
import static dev.kiln.processor.layer.Arg.ref;

import com.google.auto.service.AutoService;
import dev.kiln.processor.Report;
import dev.kiln.processor.Rule;
import dev.kiln.processor.Site;
import dev.kiln.processor.graph.Node;
import dev.kiln.processor.graph.Shape;
import dev.kiln.processor.read.LayerDecl;
import dev.kiln.processor.read.NodeDecl;
import java.util.Arrays;
import java.util.List;

/** {@code @Permute(dims)}: reorders the non-batch axes (1-based), Keras's {@code Permute}. */
@AutoService(LayerKind.class)
public final class PermuteKind extends LayerKind<PermuteKind.Attributes> {
    public record Attributes(int[] dims) {
    }

    @Override
    public String annotation() {
        return "Permute";
    }

    @Override
    public Example example() {
        return Example.of("@Permute(dims = {2, 1})", new long[] {4, 6});
    }

    @Override
    protected Attributes decode(LayerDecl d) {
        return new Attributes(d.integers("dims"));
    }

    @Override
    protected Shape outputShape(NodeDecl node, Attributes a, List<Shape> inputs, Report report) {
        Shape in = inputs.get(0);
        int[] order = a.dims();
        int[] sorted = order.clone();
        Arrays.sort(sorted);
        boolean ok = order.length == in.rank();
        for (int i = 0; ok && i < sorted.length; i++) {
            ok = sorted[i] == i + 1;
        }
        if (!ok) {
            report.add(Rule.ILLEGAL_ATTRIBUTE, Site.attribute(node.name(), "Permute", "dims"), "Permute '" + node.name()
                    + "' has dims = " + Arrays.toString(order) + ", but its input " + in + " needs a permutation of 1.."
                    + in.rank() + " (1-based, the batch axis stays first).");
            return null;
        }
        long[] out = new long[order.length];
        for (int i = 0; i < order.length; i++) {
            out[i] = in.dims()[order[i] - 1];
        }
        return new Shape(out);
    }

    @Override
    protected void forward(Node node, Attributes a, Lowerer c) {
        c.call(ConcatenateKind.RESHAPES, "permute", "axes reordered", order(a), ref(c.value(node.inputs().get(0))),
                ref(c.value(node.name())));
    }

    @Override
    protected void backward(Node node, Attributes a, Lowerer c) {
        String dy = c.gradient(node.name());
        Stateless.eachInput(node, c, (index, dx, acc, what) -> c.call(ConcatenateKind.RESHAPES, "permuteBackward", what
                + dy + " with the axes put back", order(a), ref(dy), ref(dx), bool(acc)));
    }

    @Override
    protected RuntimeConfig config(Attributes a, LayerDecl decl) {
        return RuntimeConfig.of("PermuteConfig", Arg.ints(a.dims()));
    }

    /** The dims with the batch axis first, 0-based. */
    private static Arg order(Attributes a) {
        int[] order = new int[a.dims().length + 1];
        System.arraycopy(a.dims(), 0, order, 1, a.dims().length);
        return Arg.ints(order);
    }
}
