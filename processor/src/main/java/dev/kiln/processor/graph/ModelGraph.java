package dev.kiln.processor.graph;

import dev.kiln.dsl.Activation;
import dev.kiln.processor.layer.LayerKind;
import dev.kiln.processor.layer.PartKind;
import dev.kiln.processor.read.ModelDecl;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** Stage 2's result: the nodes in a topological order (declaration order among independent ones), names resolved. */
public final class ModelGraph {
    private final ModelDecl decl;
    private final List<Node> order;
    private final Map<String, Node> byName = new LinkedHashMap<>();

    public ModelGraph(ModelDecl decl, List<Node> order) {
        this.decl = decl;
        this.order = List.copyOf(order);
        for (Node n : order) {
            byName.put(n.name(), n);
        }
    }

    public ModelDecl decl() {
        return decl;
    }

    /** Every node, producers before consumers. */
    public List<Node> nodes() {
        return order;
    }

    public Node node(String name) {
        return byName.get(name);
    }

    public List<Node> inputs() {
        return order.stream().filter(Node::isInput).toList();
    }

    /** Outputs in declaration order. */
    public List<Node> outputs() {
        List<Node> out = new ArrayList<>();
        decl.nodes().forEach(d -> {
            Node n = byName.get(d.name());
            if (n != null && n.isOutput()) {
                out.add(n);
            }
        });
        return out;
    }

    /**
     * The node whose mask is on {@code node}'s output, or null when it has none: a node that produces a mask
     * ({@code Embedding(maskZero = true)}, {@code Masking}), or the source of its first input's mask when its layer
     * passes masks on.
     */
    public String maskSource(String node) {
        Node n = byName.get(node);
        if (n == null || n.layer() == null) {
            return null;
        }
        if (n.layer().producesMask()) {
            return n.name();
        }
        LayerKind.MaskUse use = n.layer().maskUse();
        boolean passes = use == LayerKind.MaskUse.PASSES || use == LayerKind.MaskUse.CONSUMES_AND_PASSES;
        return passes && !n.inputs().isEmpty() ? maskSource(n.inputs().get(0)) : null;
    }

    /**
     * The activation {@code n}'s output ends in, looking through layers that pass their input's values on (Dropout);
     * linear for a node without a layer.
     */
    public Activation outputActivation(Node n) {
        if (n.layer() == null) {
            return Activation.LINEAR;
        }
        Activation a = n.layer().outputActivation(n.shape());
        return a != null ? a : outputActivation(node(n.inputs().get(0)));
    }

    /**
     * The node that selects part {@code part} of {@code node}'s layer (a {@code @Part} node, which the layer writes), or
     * null when none does.
     */
    public Node part(String node, String part) {
        for (Node n : order) {
            if (n.layer() != null && n.layer().attributes() instanceof PartKind.Attributes a && !a.nestedOutput()
                    && a.part().equals(part) && n.inputs().equals(List.of(node))) {
                return n;
            }
        }
        return null;
    }

    /** Whether {@code n} is a {@code @Part} node that its input's layer writes (rather than a copy of a node). */
    public static boolean isLayerPart(Node n) {
        return n.layer() != null && n.layer().attributes() instanceof PartKind.Attributes a && !a.nestedOutput();
    }

    /** The nodes that consume {@code name}, in topological order (once per edge). */
    public List<Node> consumers(String name) {
        List<Node> out = new ArrayList<>();
        for (Node n : order) {
            for (String in : n.inputs()) {
                if (in.equals(name)) {
                    out.add(n);
                }
            }
        }
        return out;
    }
}
