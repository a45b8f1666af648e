package dev.kiln.processor.graph;

import dev.kiln.processor.Report;
import dev.kiln.processor.Rule;
import dev.kiln.processor.Site;
import dev.kiln.processor.layer.InputKind;
import dev.kiln.processor.layer.Layer;
import dev.kiln.processor.layer.LayerKind;
import dev.kiln.processor.layer.LayerKinds;
import dev.kiln.processor.layer.PartKind;
import dev.kiln.processor.read.ModelDecl;
import dev.kiln.processor.read.NodeDecl;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Stage 2: resolves parameter names into edges, orders the nodes topologically, validates attributes and infers every
 * node's shape. Each problem is reported once, where it starts; nodes downstream of a broken one are left without a
 * shape, silently, so one mistake gives one error.
 */
public final class GraphBuilder {
    private GraphBuilder() {
    }

    public static ModelGraph build(ModelDecl decl, Report report) {
        Map<String, NodeDecl> decls = new LinkedHashMap<>();
        for (NodeDecl d : decl.nodes()) {
            decls.put(d.name(), d);
        }
        Map<String, Layer<?>> layers = new HashMap<>();
        Map<String, NodeDecl> owners = new HashMap<>(); // a @Shared node -> the node whose layer it applies
        Set<String> broken = new HashSet<>();
        for (NodeDecl d : decl.nodes()) {
            if (d.layers().size() != 1) {
                broken.add(d.name());
                continue;
            }
            NodeDecl owner = d;
            if (d.isShared()) {
                owner = sharedOwner(d, decls, report);
                if (owner == null) {
                    broken.add(d.name());
                    continue;
                }
                owners.put(d.name(), owner);
            }
            LayerKind<?> kind = owner.nested() != null ? new NestedKind(owner.nested())
                    : owner.isPart() ? PartKind.INSTANCE : LayerKinds.of(owner.layer().annotation());
            if (kind == null) {
                if (!owner.isNested()) { // a broken @Nested was reported by the reader
                    report.add(Rule.LAYER_ANNOTATION, Site.annotation(d.name(), d.layer().annotation()), "@"
                            + d.layer().annotation() + " on '" + d.name() + "' is not a layer Kiln can compile yet;"
                            + " the layers are " + LayerKinds.annotations() + ".");
                }
                broken.add(d.name());
                continue;
            }
            Layer<?> layer = kind.bind(owner.layer());
            layers.put(d.name(), layer);
            if (report.isBroken(d.name())) {
                broken.add(d.name()); // the reader already said what is wrong with it; its wiring is not in question
            } else if (!resolve(d, layer, decls, report)) {
                broken.add(d.name());
            }
            if (owner == d) {
                int before = report.entries().size();
                layer.validate(d, report);
                if (report.entries().size() > before) {
                    broken.add(d.name());
                }
            }
        }
        List<NodeDecl> order = topologicalOrder(decl, decls, report, broken);
        Parts parts = new Parts();
        Map<String, Shape> shapes = new HashMap<>();
        List<Node> nodes = new ArrayList<>();
        int open = 0;
        for (NodeDecl d : order) {
            Layer<?> layer = layers.get(d.name());
            NodeDecl owner = owners.getOrDefault(d.name(), d);
            Shape shape = null;
            boolean inputsKnown = d.parameters().stream().allMatch(shapes::containsKey);
            List<Shape> in = inputsKnown ? d.parameters().stream().map(shapes::get).toList() : null;
            List<String> inputs = d.parameters();
            if (!broken.contains(d.name()) && inputsKnown && Parts.isPart(layer)) {
                String source = d.parameters().get(0);
                Layer<?> sourceLayer = layers.get(source);
                shape = parts.select(d, source, sourceLayer, report);
                if (shape != null) {
                    boolean nested = sourceLayer.kind() instanceof NestedKind; // an inner output, inlined as a node
                    layer = PartKind.INSTANCE.resolved(d.layer(), parts.output(d, source), nested);
                    inputs = nested ? List.of(source + "/" + PartKind.part(layer)) : inputs;
                }
            } else if (!broken.contains(d.name()) && inputsKnown
                    && InitialStates.fit(d, layer, in, report)) {
                NodeDecl asWritten = new NodeDecl(d.name(), d.parameters(), owner.layers(), d.output(), owner.nested(),
                        d.initialStates());
                shape = layer.outputShape(asWritten, in, report);
                if (shape != null && layer.isInput()) {
                    long[] dims = shape.dims();
                    for (int i = 0; i < dims.length; i++) {
                        if (dims[i] < 0) {
                            dims[i] = -(++open);
                        }
                    }
                    shape = new Shape(dims);
                }
            }
            if (shape != null) {
                shapes.put(d.name(), shape);
                if (!Parts.isPart(layer)) {
                    parts.record(d.name(), layer, in);
                }
            }
            String weights = owner.name();
            if (layer != null && layer.kind() instanceof NestedKind nested && shape != null) {
                nodes.addAll(nested.expand(d, weights, d.output(), selectedParts(d.name(), decl)));
                continue;
            }
            nodes.add(new Node(d.name(), layer, inputs, shape, d.output(), weights));
        }
        ModelGraph graph = new ModelGraph(decl, nodes);
        checkSharedShapes(graph, owners, report);
        return graph;
    }

    /** The node whose layer a {@code @Shared} node applies, following chains; null after reporting why there is none. */
    private static NodeDecl sharedOwner(NodeDecl d, Map<String, NodeDecl> decls, Report report) {
        Site site = Site.attribute(d.name(), "Shared", "value");
        NodeDecl owner = d;
        Set<String> seen = new HashSet<>();
        while (owner.isShared()) {
            String target = owner.layer().constant("value");
            NodeDecl next = decls.get(target);
            if (next == null) {
                String near = NodeNameSuggestions.closest(target, decls.keySet());
                report.add(Rule.UNKNOWN_INPUT, site, "'" + d.name() + "' shares the layer of '" + target + "', but the"
                        + " model has no node of that name" + (near == null ? "." : "; did you mean '" + near + "'?"));
                return null;
            }
            if (!seen.add(target)) {
                report.add(Rule.CYCLE, site, "'" + d.name() + "' shares a layer through a loop of @Shared nodes. Point"
                        + " @Shared at the node that declares the layer.");
                return null;
            }
            owner = next;
        }
        if (owner.layers().size() != 1) {
            return null; // its own error is reported
        }
        if (LayerKinds.of(owner.layer().annotation()) instanceof InputKind || owner.isPart()) {
            report.add(Rule.LAYER_ANNOTATION, site, "'" + d.name() + "' shares the layer of '" + owner.name()
                    + "', which is " + (owner.isPart() ? "a @Part" : "an @Input") + ", not a layer. Share a layer"
                    + " node, e.g. a @Dense.");
            return null;
        }
        return owner;
    }

    /** The names of the parts that {@code @Part} nodes select from {@code node}. */
    private static java.util.Set<String> selectedParts(String node, ModelDecl decl) {
        java.util.Set<String> out = new HashSet<>();
        for (NodeDecl d : decl.nodes()) {
            if (d.isPart() && d.parameters().equals(List.of(node))) {
                out.add(d.layer().constant("value"));
            }
        }
        return out;
    }

    /** Every application of a shared layer must fit the weights its owner has. */
    private static void checkSharedShapes(ModelGraph graph, Map<String, NodeDecl> owners, Report report) {
        for (Map.Entry<String, NodeDecl> e : owners.entrySet()) {
            Node shared = graph.node(e.getKey());
            Node owner = graph.node(e.getValue().name());
            if (shared == null || owner == null || shared.shape() == null || owner.shape() == null
                    || owner.layer().kind() instanceof NestedKind) {
                continue;
            }
            List<Shape> mine = shared.inputs().stream().map(i -> graph.node(i).shape()).toList();
            List<Shape> theirs = owner.inputs().stream().map(i -> graph.node(i).shape()).toList();
            List<Shape> myWeights = owner.layer().variables(mine).stream().map(Variable::shape).toList();
            List<Shape> ownerWeights = owner.layer().variables(theirs).stream().map(Variable::shape).toList();
            if (!myWeights.equals(ownerWeights)) {
                report.add(Rule.SHAPE_MISMATCH, Site.parameter(shared.name(), shared.inputs().get(0)), "'"
                        + shared.name() + "' applies the shared layer of '" + owner.name() + "' to " + mine.get(0)
                        + ", but '" + owner.name() + "' built its weights for " + theirs.get(0) + ". A shared layer"
                        + " needs inputs of the same shape at every application.");
            }
        }
    }

    private static boolean resolve(NodeDecl d, Layer<?> kind, Map<String, NodeDecl> decls, Report report) {
        boolean ok = true;
        for (String p : d.parameters()) {
            if (!decls.containsKey(p)) {
                List<String> others = decls.keySet().stream().filter(n -> !n.equals(d.name())).toList();
                String near = NodeNameSuggestions.closest(p, others);
                report.add(Rule.UNKNOWN_INPUT, Site.parameter(d.name(), p), "'" + d.name() + "' consumes '" + p
                        + "', but the model has no node of that name" + (near == null ? "." : "; did you mean '" + near
                        + "'?") + " A parameter's name says which node feeds it.");
                ok = false;
            }
        }
        int n = d.parameters().size();
        if (!InitialStates.marked(d, kind, report)) {
            ok = false;
        } else if (n < kind.minInputs() || n > kind.maxInputs()) {
            String want = kind.minInputs() == kind.maxInputs() ? Integer.toString(kind.minInputs())
                    : kind.minInputs() + " to " + kind.maxInputs();
            String hint = kind.maxInputs() == 0 ? " An @Input has no parameters: 'Tensor " + d.name() + "()'."
                    : n > kind.maxInputs() ? " Remove the extra parameter(s)."
                    : kind.minInputs() == 1 ? " Name the node it consumes as a parameter, e.g. 'Tensor " + d.name()
                            + "(Tensor x)'."
                    : " Name the nodes it combines as parameters, e.g. 'Tensor " + d.name() + "(Tensor a, Tensor b)'.";
            report.add(Rule.INPUT_COUNT, Site.annotation(d.name(), kind.annotation()), "@" + kind.annotation() + " '"
                    + d.name() + "' takes " + want + " input(s), but has " + n + "." + hint);
            ok = false;
        }
        return ok;
    }

    /** Kahn's algorithm, declaration order first; reports each cycle once, on its first declared node. */
    private static List<NodeDecl> topologicalOrder(ModelDecl decl, Map<String, NodeDecl> decls, Report report,
            Set<String> broken) {
        List<NodeDecl> order = new ArrayList<>();
        Set<String> placed = new HashSet<>();
        boolean progress = true;
        while (progress) {
            progress = false;
            for (NodeDecl d : decl.nodes()) {
                if (!placed.contains(d.name())
                        && d.parameters().stream().allMatch(p -> placed.contains(p) || !decls.containsKey(p))) {
                    placed.add(d.name());
                    order.add(d);
                    progress = true;
                }
            }
        }
        Set<String> reported = new HashSet<>();
        for (NodeDecl d : decl.nodes()) {
            if (placed.contains(d.name()) || reported.contains(d.name())) {
                continue;
            }
            List<String> cycle = findCycle(d.name(), decls, placed);
            if (cycle == null) {
                continue; // downstream of a cycle: it gets no shape, and no error of its own
            }
            // one error per knot of cycles: every node that lies on a cycle with this one shares its root cause
            Set<String> knot = stronglyConnected(cycle.get(0), decls, placed);
            reported.addAll(knot);
            broken.addAll(knot);
            String first = cycle.get(0);
            String next = cycle.size() > 1 ? cycle.get(1) : first;
            report.add(Rule.CYCLE, Site.parameter(next, first), "the graph has a cycle: " + String.join(" -> ", cycle)
                    + " -> " + first + ". A model is acyclic: each node may only consume nodes that do not depend on it.");
        }
        for (NodeDecl d : decl.nodes()) {
            if (!placed.contains(d.name())) {
                broken.add(d.name());
            }
        }
        return order;
    }

    /** The unplaced nodes that {@code start} reaches and that reach it back: its strongly connected component. */
    private static Set<String> stronglyConnected(String start, Map<String, NodeDecl> decls, Set<String> placed) {
        Set<String> upstream = reach(start, decls, placed, true);
        Set<String> downstream = reach(start, decls, placed, false);
        upstream.retainAll(downstream);
        return upstream;
    }

    /** Unplaced nodes reachable from {@code start} through producers ({@code up}) or through consumers. */
    private static Set<String> reach(String start, Map<String, NodeDecl> decls, Set<String> placed, boolean up) {
        Set<String> seen = new HashSet<>(Set.of(start));
        java.util.ArrayDeque<String> todo = new java.util.ArrayDeque<>(List.of(start));
        while (!todo.isEmpty()) {
            String n = todo.pop();
            for (NodeDecl d : decls.values()) {
                boolean edge = up ? decls.get(n).parameters().contains(d.name()) : d.parameters().contains(n);
                if (edge && !placed.contains(d.name()) && seen.add(d.name())) {
                    todo.push(d.name());
                }
            }
        }
        return seen;
    }

    /** A cycle through {@code start} along producer edges, as the list of nodes in data-flow order, or null. */
    private static List<String> findCycle(String start, Map<String, NodeDecl> decls, Set<String> placed) {
        List<String> path = new ArrayList<>();
        return dfs(start, start, decls, placed, path, new HashSet<>()) ? reverse(path) : null;
    }

    private static boolean dfs(String node, String target, Map<String, NodeDecl> decls, Set<String> placed,
            List<String> path, Set<String> seen) {
        path.add(node);
        for (String p : decls.get(node).parameters()) {
            if (p.equals(target)) {
                return true;
            }
            if (decls.containsKey(p) && !placed.contains(p) && seen.add(p) && dfs(p, target, decls, placed, path, seen)) {
                return true;
            }
        }
        path.remove(path.size() - 1);
        return false;
    }

    private static List<String> reverse(List<String> path) {
        List<String> out = new ArrayList<>();
        out.add(path.get(0));
        for (int i = path.size() - 1; i >= 1; i--) {
            out.add(path.get(i));
        }
        return out;
    }
}
