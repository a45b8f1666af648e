package dev.kiln.processor.layer;

import static dev.kiln.processor.layer.Arg.bool;
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
import java.util.Locale;

/**
 * Keras's element-wise merges ({@code Add}, {@code Subtract}, {@code Multiply}, {@code Average}, {@code Maximum},
 * {@code Minimum}): inputs of one rank whose axes agree or are 1 (broadcast). One kind per annotation, each a line.
 */
public abstract class MergeKind extends LayerKind<MergeKind.Attributes> {
    private static final Kernel MERGES = Kernel.of("Merges");

    /** Merges have no attributes. */
    public record Attributes() {
    }

    @Override
    public String annotation() {
        String op = op();
        return op.charAt(0) + op.substring(1).toLowerCase(Locale.ROOT);
    }

    @Override
    public Example example() {
        return Example.of("@" + annotation(), new long[] {4, 6}, new long[] {4, 6});
    }

    /** The runtime's {@code MergeConfig.Op} constant, e.g. {@code ADD}. */
    abstract String op();

    @Override
    protected Attributes decode(LayerDecl d) {
        return new Attributes();
    }

    @Override
    protected int minInputs(Attributes a) {
        return 2;
    }

    @Override
    protected int maxInputs(Attributes a) {
        return Integer.MAX_VALUE;
    }

    @Override
    protected Shape outputShape(NodeDecl node, Attributes a, List<Shape> inputs, Report report) {
        Shape first = inputs.get(0);
        long[] out = first.dims();
        for (int k = 1; k < inputs.size(); k++) {
            Shape s = inputs.get(k);
            String x = node.parameters().get(0);
            String z = node.parameters().get(k);
            if (s.rank() != first.rank()) {
                report.add(Rule.SHAPE_MISMATCH, Site.parameter(node.name(), z), annotation() + " '" + node.name()
                        + "' needs inputs of one rank, but '" + x + "' is " + first + " and '" + z + "' is " + s
                        + ". Reshape one of them, e.g. with @Reshape or @Flatten.");
                return null;
            }
            for (int d = 0; d < out.length; d++) {
                long p = out[d];
                long q = s.dims()[d];
                if (p == q || q == 1) {
                    continue;
                }
                if (p == 1) {
                    out[d] = q;
                    continue;
                }
                report.add(Rule.SHAPE_MISMATCH, Site.parameter(node.name(), z), annotation() + " '" + node.name()
                        + "' needs inputs of one shape, but '" + x + "' is " + first + " and '" + z + "' is " + s
                        + ". " + Fixes.agree(node, x, first, z, s, d));
                return null;
            }
        }
        return new Shape(out);
    }

    @Override
    protected void forward(Node node, Attributes a, Lowerer c) {
        String y = c.value(node.name());
        c.call(MERGES, "forward", y + " = " + op().toLowerCase(Locale.ROOT) + " of the inputs",
                Stateless.with(opConstant(), ref(y), Stateless.inputs(node, c)));
    }

    @Override
    protected void backward(Node node, Attributes a, Lowerer c) {
        String y = c.value(node.name());
        String dy = c.gradient(node.name());
        List<Arg> xs = Stateless.inputs(node, c);
        Stateless.eachInput(node, c, (index, dx, acc, what) -> c.call(MERGES, "backward", what + dy + " * d("
                + op().toLowerCase(Locale.ROOT) + ")/d(" + node.inputs().get(index) + ")",
                Stateless.with(opConstant(), Arg.integer(index), ref(dy), ref(dx), bool(acc), ref(y), xs)));
    }

    @Override
    protected RuntimeConfig config(Attributes a, LayerDecl decl) {
        return RuntimeConfig.of("MergeConfig", opConstant());
    }

    private Arg opConstant() {
        return new Arg.RuntimeConstant(RuntimeConfig.PACKAGE, "MergeConfig", "Op", op());
    }

    @AutoService(LayerKind.class)
    public static final class Add extends MergeKind {
        @Override
        String op() {
            return "ADD";
        }
    }

    @AutoService(LayerKind.class)
    public static final class Subtract extends MergeKind {
        @Override
        String op() {
            return "SUBTRACT";
        }

        @Override
        protected int maxInputs(Attributes a) {
            return 2;
        }
    }

    @AutoService(LayerKind.class)
    public static final class Multiply extends MergeKind {
        @Override
        String op() {
            return "MULTIPLY";
        }
    }

    @AutoService(LayerKind.class)
    public static final class Average extends MergeKind {
        @Override
        String op() {
            return "AVERAGE";
        }
    }

    @AutoService(LayerKind.class)
    public static final class Maximum extends MergeKind {
        @Override
        String op() {
            return "MAXIMUM";
        }
    }

    @AutoService(LayerKind.class)
    public static final class Minimum extends MergeKind {
        @Override
        String op() {
            return "MINIMUM";
        }
    }
}
