package dev.kiln.processor.graph;

import dev.kiln.processor.Report;
import dev.kiln.processor.Rule;
import dev.kiln.processor.Site;
import dev.kiln.processor.layer.LayerKind;
import dev.kiln.processor.layer.Lowerer;
import dev.kiln.processor.layer.RuntimeConfig;
import dev.kiln.processor.read.LayerDecl;
import dev.kiln.processor.read.ModelDecl;
import dev.kiln.processor.read.NodeDecl;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * A {@code @Nested} model used as a layer. It is inlined: its nodes join the outer graph as {@code node/inner}, its
 * inputs are wired to the node's parameters, and its first output node takes the node's own name. Its other outputs are
 * the node's parts ({@code @Part} selects them by name), inlined as {@code node/inner} when a part node selects them. A
 * second application through {@code @Shared} inlines it again with the first application's weights.
 */
final class NestedKind extends LayerKind<ModelDecl> {
    private final ModelDecl decl;
    private final ModelGraph inner;

    NestedKind(ModelDecl decl) {
        this.decl = decl;
        this.inner = GraphBuilder.build(decl, new Report()); // valid: the reader checked it has no errors
    }

    @Override
    public String annotation() {
        return "Nested";
    }

    @Override
    public String kerasName() {
        return decl.interfaceName();
    }

    @Override
    public Example example() {
        return null; // one per nested model, not per annotation: FunctionalApiTest covers nesting
    }

    @Override
    protected ModelDecl decode(LayerDecl d) {
        return decl;
    }

    @Override
    protected int minInputs(ModelDecl a) {
        return inner.inputs().size();
    }

    @Override
    protected int maxInputs(ModelDecl a) {
        return inner.inputs().size();
    }

    /** The name of the inner model's first {@code @Output}: the node's own value. */
    String firstOutput() {
        return inner.outputs().get(0).name();
    }

    /** The inner model's other {@code @Output}s, by node name. */
    @Override
    protected Map<String, Shape> parts(ModelDecl a, List<Shape> inputs) {
        Map<String, Shape> out = new java.util.LinkedHashMap<>();
        inner.outputs().stream().skip(1).forEach(o -> out.put(o.name(), o.shape()));
        return out;
    }

    @Override
    protected Shape outputShape(NodeDecl node, ModelDecl a, List<Shape> inputs, Report report) {
        List<Node> ins = inner.inputs();
        for (int i = 0; i < ins.size(); i++) {
            Shape want = ins.get(i).shape();
            if (!want.equals(inputs.get(i))) {
                report.add(Rule.SHAPE_MISMATCH, Site.parameter(node.name(), node.parameters().get(i)), "'" + node.name()
                        + "' runs model " + decl.interfaceName() + ", whose input '" + ins.get(i).name() + "' is "
                        + want + ", on '" + node.parameters().get(i) + "', which is " + inputs.get(i)
                        + ". Give it an input of shape " + want + ".");
                return null;
            }
        }
        return inner.outputs().get(0).shape();
    }

    /**
     * The inner graph's nodes that feed its first output or one of {@code selected} (the other outputs that part nodes
     * select), renamed under {@code node} and wired to its parameters: the first output takes the node's name and its
     * {@code output}, each other one is {@code node/inner}.
     */
    List<Node> expand(NodeDecl node, String weightsOwner, LayerDecl output, java.util.Set<String> selected) {
        String result = firstOutput();
        java.util.Set<String> targets = new java.util.HashSet<>(selected);
        targets.add(result);
        Map<String, String> rename = new HashMap<>();
        List<Node> ins = inner.inputs();
        for (int i = 0; i < ins.size(); i++) {
            rename.put(ins.get(i).name(), node.parameters().get(i));
        }
        for (Node n : inner.nodes()) {
            if (!n.isInput()) {
                rename.put(n.name(), n.name().equals(result) ? node.name() : node.name() + "/" + n.name());
            }
        }
        List<Node> out = new ArrayList<>();
        for (Node n : inner.nodes()) {
            if (n.isInput() || !feeds(n.name(), targets)) {
                continue;
            }
            List<String> inputs = n.inputs().stream().map(rename::get).toList();
            out.add(new Node(rename.get(n.name()), n.layer(), inputs, n.shape(),
                    n.name().equals(result) ? output : null, weightsOwner + "/" + n.weights()));
        }
        return out;
    }

    @Override
    protected void forward(Node node, ModelDecl a, Lowerer c) {
        throw new AssertionError("a nested model is inlined, not lowered: " + node.name());
    }

    @Override
    protected void backward(Node node, ModelDecl a, Lowerer c) {
        throw new AssertionError("a nested model is inlined, not lowered: " + node.name());
    }

    @Override
    protected RuntimeConfig config(ModelDecl a, LayerDecl decl) {
        throw new AssertionError("a nested model is inlined, not configured: " + decl.source());
    }

    /** Whether inner node {@code name} is one of {@code targets} or feeds one. */
    private boolean feeds(String name, java.util.Set<String> targets) {
        if (targets.contains(name)) {
            return true;
        }
        for (Node c : inner.consumers(name)) {
            if (feeds(c.name(), targets)) {
                return true;
            }
        }
        return false;
    }
}
