package dev.kiln.processor.check;

import dev.kiln.processor.Report;
import dev.kiln.processor.Rule;
import dev.kiln.processor.Site;
import dev.kiln.processor.graph.ModelGraph;
import dev.kiln.processor.graph.Node;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.HashSet;
import java.util.Set;

/** A node that feeds no output is dead weight (warning; {@code @SuppressWarnings("kiln/UnusedNode")} silences it). */
final class UnusedNodeCheck implements Check {
    @Override
    public void run(ModelGraph graph, Report report) {
        if (graph.outputs().isEmpty()) {
            return; // EndpointCheck already says so
        }
        Set<String> used = new HashSet<>();
        Deque<String> todo = new ArrayDeque<>();
        graph.outputs().forEach(o -> todo.add(o.name()));
        while (!todo.isEmpty()) {
            String name = todo.pop();
            Node n = graph.node(name);
            if (n != null && used.add(name)) {
                todo.addAll(n.inputs());
            }
        }
        for (Node n : graph.nodes()) {
            if (!used.contains(n.name()) && !report.isBroken(n.name())) {
                report.add(Rule.UNUSED_NODE, Site.node(n.name()), "node '" + n.name() + "' feeds no @Output, so it is"
                        + " computed for nothing. Connect it, mark it @Output, or remove it.");
            }
        }
    }
}
