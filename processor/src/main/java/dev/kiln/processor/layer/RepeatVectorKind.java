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
import java.util.List;

/** {@code @RepeatVector(n)}: a vector {@code (d)} repeated into {@code (n, d)}, Keras's {@code RepeatVector}. */
@AutoService(LayerKind.class)
public final class RepeatVectorKind extends LayerKind<RepeatVectorKind.Attributes> {
    public record Attributes(int n) {
    }

    @Override
    public String annotation() {
        return "RepeatVector";
    }

    @Override
    public Example example() {
        return Example.of("@RepeatVector(n = 3)", new long[] {6});
    }

    @Override
    protected Attributes decode(LayerDecl d) {
        return new Attributes(d.integer("n"));
    }

    @Override
    protected void validate(NodeDecl node, Attributes a, Report report) {
        if (a.n() <= 0) {
            report.add(Rule.ILLEGAL_ATTRIBUTE, Site.attribute(node.name(), "RepeatVector", "n"), "RepeatVector '"
                    + node.name() + "' has n = " + a.n() + "; it repeats its input n > 0 times.");
        }
    }

    @Override
    protected Shape outputShape(NodeDecl node, Attributes a, List<Shape> inputs, Report report) {
        Shape in = inputs.get(0);
        if (in.rank() != 1) {
            report.add(Rule.SHAPE_MISMATCH, Site.parameter(node.name(), node.parameters().get(0)), "RepeatVector '"
                    + node.name() + "' repeats a vector, but '" + node.parameters().get(0) + "' is " + in
                    + ". Flatten it first.");
            return null;
        }
        return Shape.of(a.n(), in.last());
    }

    @Override
    protected void forward(Node node, Attributes a, Lowerer c) {
        String y = c.value(node.name());
        c.call(ConcatenateKind.RESHAPES, "repeat", y + " = input repeated " + a.n() + " times",
                ref(c.value(node.inputs().get(0))), ref(y));
    }

    @Override
    protected void backward(Node node, Attributes a, Lowerer c) {
        String dy = c.gradient(node.name());
        Stateless.eachInput(node, c, (index, dx, acc, what) -> c.call(ConcatenateKind.RESHAPES, "repeatBackward", what
                + "sum of " + dy + " over the repeats", ref(dy), ref(dx), bool(acc)));
    }

    @Override
    protected RuntimeConfig config(Attributes a, LayerDecl decl) {
        return RuntimeConfig.of("RepeatVectorConfig", Arg.integer(a.n()));
    }
}
