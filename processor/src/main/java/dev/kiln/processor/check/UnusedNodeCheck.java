package dev.kiln.processor.check;

import dev.kiln.processor.Report;
import dev.kiln.processor.Rule;
import dev.kiln.processor.Site;
import dev.kiln.processor.graph.ModelGraph;
import dev.kiln.processor.read.NodeDecl;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Nodes that feed no output are dead weight (warning; {@code @SuppressWarnings("kiln/UnusedNode")} silences it). One
 * warning per dead end (an unused node nothing consumes), naming the unused nodes that only lead to it. Silent when the
 * wiring of a used node is in question (a parameter naming no node, a cycle, a missing parameter): that error is the
 * cause, not the dead ends.
 */
final class UnusedNodeCheck implements Check {
    /** Errors that leave a node's inputs unknown. */
    private static final Set<Rule> WIRING = Set.of(Rule.UNKNOWN_INPUT, Rule.CYCLE, Rule.INPUT_COUNT, Rule.NOT_TENSOR,
            Rule.DUPLICATE_NODE);
    @Override
    public void run(ModelGraph graph, Report report) {
        Map<String, NodeDecl> decls = new LinkedHashMap<>();
        graph.decl().nodes().forEach(d -> decls.put(d.name(), d));
        Set<String> used = new HashSet<>();
        Deque<String> todo = new ArrayDeque<>();
        decls.values().stream().filter(d -> d.output() != null).forEach(d -> todo.add(d.name()));
        if (todo.isEmpty()) {
            return; // EndpointCheck already says so
        }
        while (!todo.isEmpty()) {
            String name = todo.pop();
            NodeDecl d = decls.get(name);
            if (d == null || graph.node(name) == null) {
                return; // an unknown name or a cycle on the way: which nodes were meant to be used is unknown
            }
            if (used.add(name)) {
                todo.addAll(d.parameters());
            }
        }
        for (Report.Entry e : report.entries()) {
            if (WIRING.contains(e.rule()) && used.contains(e.site().node())) {
                return; // a used node's inputs are in question: whatever looks unused may be what it was meant to take
            }
        }
        Set<String> consumed = new HashSet<>();
        decls.values().forEach(d -> consumed.addAll(d.parameters()));
        for (NodeDecl d : decls.values()) {
            if (used.contains(d.name()) || consumed.contains(d.name()) || report.isBroken(d.name())) {
                continue;
            }
            List<String> feeding = unusedAncestors(d, decls, used);
            String also = feeding.isEmpty() ? "" : " (and so " + (feeding.size() == 1 ? "is " : "are ")
                    + quoted(feeding) + ", which only lead to it)";
            report.add(Rule.UNUSED_NODE, Site.node(d.name()), "node '" + d.name() + "' feeds no @Output, so it is"
                    + " computed for nothing" + also + ". Connect it, mark it @Output, or remove it.");
        }
    }

    /** The unused nodes {@code d} consumes, directly or not, nearest first. */
    private static List<String> unusedAncestors(NodeDecl d, Map<String, NodeDecl> decls, Set<String> used) {
        List<String> out = new ArrayList<>();
        Deque<String> todo = new ArrayDeque<>(d.parameters());
        while (!todo.isEmpty()) {
            String name = todo.removeFirst();
            NodeDecl p = decls.get(name);
            if (p != null && !used.contains(name) && !out.contains(name) && !name.equals(d.name())) {
                out.add(name);
                todo.addAll(p.parameters());
            }
        }
        return out;
    }

    private static String quoted(List<String> names) {
        StringBuilder sb = new StringBuilder();
        for (int i = 0; i < names.size(); i++) {
            sb.append(i == 0 ? "" : i == names.size() - 1 ? " and " : ", ").append('\'').append(names.get(i)).append('\'');
        }
        return sb.toString();
    }
}
