package dev.kiln.processor.report;

import dev.kiln.processor.graph.ModelGraph;
import dev.kiln.processor.graph.Node;
import java.util.Locale;
import java.util.Set;

/**
 * The model as a Graphviz digraph ({@code dot -Tsvg}): one box per node with its name, layer and output shape; edges
 * from producer to consumer; outputs drawn double with their loss; nodes that feed no output dashed.
 */
final class DotGraph {
    private DotGraph() {
    }

    static String render(ModelGraph graph) {
        Set<String> live = ModelReport.live(graph);
        StringBuilder sb = new StringBuilder();
        sb.append("digraph ").append(quote(graph.decl().qualifiedName())).append(" {\n");
        sb.append("  rankdir=TB;\n");
        sb.append("  node [shape=box, fontname=\"Helvetica\", fontsize=10];\n");
        for (Node n : graph.nodes()) {
            StringBuilder label = new StringBuilder(n.name()).append(": ").append(layer(n)).append("\\n")
                    .append(n.shape());
            StringBuilder attrs = new StringBuilder();
            if (n.isInput()) {
                attrs.append(", shape=ellipse");
            }
            if (n.isOutput()) {
                label.append("\\nloss: ").append(n.output().constant("loss").toLowerCase(Locale.ROOT));
                attrs.append(", peripheries=2");
            }
            if (!live.contains(n.name())) {
                label.append("\\n(feeds no output)");
                attrs.append(", style=dashed");
            }
            sb.append("  ").append(quote(n.name())).append(" [label=").append(quote(label.toString())).append(attrs)
                    .append("];\n");
        }
        for (Node n : graph.nodes()) {
            for (String in : n.inputs()) {
                sb.append("  ").append(quote(in)).append(" -> ").append(quote(n.name())).append(";\n");
            }
        }
        return sb.append("}\n").toString();
    }

    /** {@code Dense(units = 32, activation = RELU)}: the annotation as written, without the at sign. */
    private static String layer(Node n) {
        return n.decl().source().substring(1);
    }

    /** A DOT string; its escapes ({@code \n} in labels) are written by the caller. */
    private static String quote(String s) {
        return "\"" + s.replace("\"", "\\\"") + "\"";
    }
}
