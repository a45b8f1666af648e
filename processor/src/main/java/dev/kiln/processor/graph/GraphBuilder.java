package dev.kiln.processor.graph;

import dev.kiln.processor.Report;
import dev.kiln.processor.Rule;
import dev.kiln.processor.Site;
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
        Map<String, LayerKind> kinds = new HashMap<>();
        Set<String> broken = new HashSet<>();
        for (NodeDecl d : decl.nodes()) {
            if (d.layers().size() != 1) {
                broken.add(d.name());
                continue;
            }
            LayerKind kind = LayerKinds.of(d.layer().annotation());
            if (kind == null) {
                report.add(Rule.LAYER_ANNOTATION, Site.annotation(d.name(), d.layer().annotation()), "@"
                        + d.layer().annotation() + " on '" + d.name() + "' is not a layer Kiln can compile yet; the layers"
                        + " are " + LayerKinds.annotations() + ".");
                broken.add(d.name());
                continue;
            }
            kinds.put(d.name(), kind);
            if (report.isBroken(d.name())) {
                broken.add(d.name()); // the reader already said what is wrong with it; its wiring is not in question
            } else if (!resolve(d, kind, decls, report)) {
                broken.add(d.name());
            }
            int before = report.entries().size();
            kind.validate(d, report);
            if (report.entries().size() > before) {
                broken.add(d.name());
            }
        }
        List<NodeDecl> order = topologicalOrder(decl, decls, report, broken);
        Map<String, Shape> shapes = new HashMap<>();
        List<Node> nodes = new ArrayList<>();
        int open = 0;
        for (NodeDecl d : order) {
            LayerKind kind = kinds.get(d.name());
            Shape shape = null;
            boolean inputsKnown = d.parameters().stream().allMatch(shapes::containsKey);
            if (!broken.contains(d.name()) && inputsKnown) {
                List<Shape> in = d.parameters().stream().map(shapes::get).toList();
                shape = kind.outputShape(d, in, report);
                if (shape != null && kind instanceof InputKind) {
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
            }
            nodes.add(new Node(d.name(), kind, d.layers().isEmpty() ? null : d.layer(), d.parameters(), shape,
                    d.output()));
        }
        return new ModelGraph(decl, nodes);
    }

    private static boolean resolve(NodeDecl d, LayerKind kind, Map<String, NodeDecl> decls, Report report) {
        boolean ok = true;
        for (String p : d.parameters()) {
            if (!decls.containsKey(p)) {
                String near = Names.closest(p, decls.keySet().stream().filter(n -> !n.equals(d.name())).toList());
                report.add(Rule.UNKNOWN_INPUT, Site.parameter(d.name(), p), "'" + d.name() + "' consumes '" + p
                        + "', but the model has no node of that name" + (near == null ? "." : "; did you mean '" + near
                        + "'?") + " A parameter's name says which node feeds it.");
                ok = false;
            }
        }
        int n = d.parameters().size();
        if (n < kind.minInputs() || n > kind.maxInputs()) {
            String want = kind.minInputs() == kind.maxInputs() ? Integer.toString(kind.minInputs())
                    : kind.minInputs() + " to " + kind.maxInputs();
            String hint = kind.maxInputs() == 0 ? " An @Input has no parameters: 'Tensor " + d.name() + "()'."
                    : " Name the node it consumes as a parameter, e.g. 'Tensor " + d.name() + "(Tensor x)'.";
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
            reported.addAll(cycle);
            broken.addAll(cycle);
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
