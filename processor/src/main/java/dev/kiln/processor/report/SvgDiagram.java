package dev.kiln.processor.report;

import dev.kiln.processor.graph.ModelGraph;
import dev.kiln.processor.graph.Node;
import dev.kiln.processor.read.LayerDecl;
import dev.kiln.processor.read.NodeDecl;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

/**
 * The model as an SVG picture, Keras's {@code plot_model(model, show_shapes=True)} without Graphviz: one box per node
 * ({@code <g class="node">}) with its name, Keras layer, the attributes written on it, its parameters, its loss when it
 * is an output; one arrow per connection ({@code <g class="edge">}) labelled with the shape that flows along it; a
 * frame around each nested model's nodes; shared layers marked. Laid out top-down by {@link LayeredLayout}.
 * Deterministic, no timestamps, so a golden file can pin it.
 */
final class SvgDiagram {
    private static final double CHAR = 6.7; // 11px monospace advance, rounded up
    private static final double LINE = 14;
    private static final double PAD = 7;
    private static final int WRAP = 44;

    private SvgDiagram() {
    }

    static String render(ModelGraph graph, ModelReport report) {
        List<Node> nodes = graph.nodes();
        Map<String, Integer> index = new HashMap<>();
        for (int i = 0; i < nodes.size(); i++) {
            index.put(nodes.get(i).name(), i);
        }
        Map<String, Long> params = new HashMap<>();
        report.rows().forEach(r -> params.put(r.node().name(), r.params()));
        Set<String> live = ModelReport.live(graph);
        Map<String, String> sharers = new HashMap<>(); // weights owner -> a node that applies them again
        for (Node n : nodes) {
            if (shared(n)) {
                sharers.putIfAbsent(owner(n), group(n));
            }
        }

        List<List<String>> labels = new ArrayList<>();
        double[] w = new double[nodes.size()];
        double[] h = new double[nodes.size()];
        for (int i = 0; i < nodes.size(); i++) {
            List<String> lines = lines(nodes.get(i), params, live, sharers);
            labels.add(lines);
            int widest = lines.stream().mapToInt(String::length).max().orElse(1);
            w[i] = Math.ceil(widest * CHAR + 2 * PAD);
            h[i] = lines.size() * LINE + 2 * PAD;
        }
        List<int[]> edges = new ArrayList<>();
        for (Node n : nodes) {
            for (String in : n.inputs()) {
                edges.add(new int[] {index.get(in), index.get(n.name())});
            }
        }
        LayeredLayout.Result at = LayeredLayout.layout(w, h, edges.toArray(new int[0][]));

        StringBuilder svg = new StringBuilder();
        double width = Math.max(at.width(), frames(svg, graph, nodes, at, w, h) + LayeredLayout.MARGIN / 2);
        for (int e = 0; e < edges.size(); e++) {
            Node from = nodes.get(edges.get(e)[0]);
            Node to = nodes.get(edges.get(e)[1]);
            double[] r = at.routes().get(e);
            svg.append("<g class=\"edge\" data-from=\"").append(esc(from.name())).append("\" data-to=\"")
                    .append(esc(to.name())).append("\"><path d=\"M").append(num(r[0])).append(',').append(num(r[1]));
            for (int k = 2; k < r.length; k += 2) {
                svg.append(" L").append(num(r[k])).append(',').append(num(r[k + 1]));
            }
            svg.append("\" fill=\"none\" stroke=\"#555\" marker-end=\"url(#kiln-arrow)\"/>");
            svg.append("<text class=\"shape\" x=\"").append(num((r[0] + r[2]) / 2 + 4)).append("\" y=\"")
                    .append(num(r[1] + 16)).append("\" fill=\"#1f5fa8\">").append(esc(from.shape().toString()))
                    .append("</text></g>\n");
        }
        for (int i = 0; i < nodes.size(); i++) {
            box(svg, nodes.get(i), labels.get(i), at.x()[i], at.y()[i], w[i], h[i], live);
        }
        String head = "<svg xmlns=\"http://www.w3.org/2000/svg\" class=\"kiln-model\" width=\"" + num(width)
                + "\" height=\"" + num(at.height()) + "\" viewBox=\"0 0 " + num(width) + " " + num(at.height())
                + "\" font-family=\"DejaVu Sans Mono, Menlo, Consolas, monospace\" font-size=\"11\">\n"
                + "<title>" + esc(graph.decl().qualifiedName()) + "</title>\n"
                + "<defs><marker id=\"kiln-arrow\" viewBox=\"0 0 10 10\" refX=\"10\" refY=\"5\" markerWidth=\"7\""
                + " markerHeight=\"7\" orient=\"auto\"><path d=\"M0,0 L10,5 L0,10 z\" fill=\"#555\"/></marker>"
                + "</defs>\n";
        return svg.insert(0, head).append("</svg>\n").toString();
    }

    /** The lines of a node's box: name, layer, attributes, parameters, loss and marks. */
    private static List<String> lines(Node n, Map<String, Long> params, Set<String> live,
            Map<String, String> sharers) {
        List<String> lines = new ArrayList<>();
        lines.add(n.name());
        LayerDecl decl = n.decl();
        lines.add(n.isInput() ? "InputLayer" : n.layer().kerasName());
        StringBuilder line = new StringBuilder();
        for (String a : decl.explicit()) {
            String item = (a.equals("value") ? "" : a + "=") + decl.render(a);
            if (line.length() > 0 && line.length() + item.length() + 2 > WRAP) {
                lines.add(line.append(',').toString());
                line.setLength(0);
            }
            line.append(line.length() > 0 ? ", " : "").append(item);
        }
        if (line.length() > 0) {
            lines.add(line.toString());
        }
        long p = params.getOrDefault(n.name(), 0L);
        if (p > 0) {
            lines.add(String.format(Locale.ROOT, "params: %,d", p));
        }
        if (shared(n)) {
            lines.add("shares the weights of '" + owner(n) + "'");
        } else if (sharers.containsKey(owner(n))) {
            lines.add("shared with '" + sharers.get(owner(n)) + "'");
        }
        if (n.isOutput()) {
            lines.add("output " + n.shape() + ", loss: " + n.output().constant("loss").toLowerCase(Locale.ROOT));
        }
        if (!live.contains(n.name())) {
            lines.add("(feeds no output)");
        }
        return lines;
    }

    private static void box(StringBuilder svg, Node n, List<String> lines, double x, double y, double w, double h,
            Set<String> live) {
        String fill = n.isInput() ? "#eef6ee" : n.isOutput() ? "#fdf3e3" : shared(n) ? "#f3eefa" : "#f7f7f7";
        svg.append("<g class=\"node\" data-name=\"").append(esc(n.name())).append("\">");
        svg.append("<rect x=\"").append(num(x)).append("\" y=\"").append(num(y)).append("\" width=\"").append(num(w))
                .append("\" height=\"").append(num(h)).append("\" rx=\"4\" fill=\"").append(fill)
                .append("\" stroke=\"#333\"").append(live.contains(n.name()) ? "" : " stroke-dasharray=\"4,3\"")
                .append(n.isOutput() ? " stroke-width=\"2\"" : "").append("/>");
        for (int k = 0; k < lines.size(); k++) {
            svg.append("<text x=\"").append(num(x + PAD)).append("\" y=\"").append(num(y + PAD + LINE * k + 11))
                    .append('"').append(k == 0 ? " font-weight=\"bold\"" : k == 1 ? " fill=\"#7a3b00\"" : "")
                    .append('>').append(esc(lines.get(k))).append("</text>");
        }
        svg.append("</g>\n");
    }

    /** A dashed frame around each nested model's nodes ({@code enc/...} and {@code enc}), named after the model. */
    private static double frames(StringBuilder svg, ModelGraph graph, List<Node> nodes, LayeredLayout.Result at,
            double[] w, double[] h) {
        double right = 0;
        Map<String, String> titles = new LinkedHashMap<>();
        for (NodeDecl d : graph.decl().nodes()) {
            if (d.nested() != null) {
                titles.put(d.name(), d.name() + ": " + d.nested().interfaceName());
            }
        }
        for (Node n : nodes) { // a second application of a nested model: @Shared on its first
            String group = group(n);
            if (!group.equals(n.name()) && !titles.containsKey(group)) {
                String first = titles.get(owner(n));
                titles.put(group, group + (first == null ? "" : first.substring(first.indexOf(':')))
                        + ", shared with '" + owner(n) + "'");
            }
        }
        for (Map.Entry<String, String> t : titles.entrySet()) {
            String group = t.getKey();
            String title = t.getValue();
            double x0 = Double.MAX_VALUE;
            double y0 = Double.MAX_VALUE;
            double x1 = -Double.MAX_VALUE;
            double y1 = -Double.MAX_VALUE;
            for (int i = 0; i < nodes.size(); i++) {
                String name = nodes.get(i).name();
                if (name.equals(group) || name.startsWith(group + "/")) {
                    x0 = Math.min(x0, at.x()[i]);
                    y0 = Math.min(y0, at.y()[i]);
                    x1 = Math.max(x1, at.x()[i] + w[i]);
                    y1 = Math.max(y1, at.y()[i] + h[i]);
                }
            }
            if (x0 == Double.MAX_VALUE) {
                continue;
            }
            double frameWidth = Math.max(x1 - x0 + 16, Math.ceil(title.length() * CHAR + 12));
            right = Math.max(right, x0 - 8 + frameWidth);
            svg.append("<g class=\"nested\" data-name=\"").append(esc(group)).append("\"><rect x=\"")
                    .append(num(x0 - 8)).append("\" y=\"").append(num(y0 - 22)).append("\" width=\"")
                    .append(num(frameWidth)).append("\" height=\"").append(num(y1 - y0 + 30))
                    .append("\" rx=\"6\" fill=\"#f4f8fc\" stroke=\"#1f5fa8\" stroke-dasharray=\"6,3\"/><text x=\"")
                    .append(num(x0 - 2)).append("\" y=\"").append(num(y0 - 9)).append("\" fill=\"#1f5fa8\">")
                    .append(esc(title)).append("</text></g>\n");
        }
        return right;
    }

    /** Whether {@code n} applies weights it does not own: {@code @Shared}, or a nested model's second application. */
    private static boolean shared(Node n) {
        return !owner(n).equals(group(n)) && !n.weights().startsWith(n.name() + "/");
    }

    /** The nested application {@code n} belongs to ({@code enc} for {@code enc/hidden}), or its own name. */
    private static String group(Node n) {
        int slash = n.name().indexOf('/');
        return slash > 0 ? n.name().substring(0, slash) : n.name();
    }

    /** The node (or nested application) that owns the weights {@code n} uses. */
    private static String owner(Node n) {
        int slash = n.weights().indexOf('/');
        return slash > 0 ? n.weights().substring(0, slash) : n.weights();
    }

    private static String num(double v) {
        return v == Math.rint(v) ? Long.toString((long) v) : String.format(Locale.ROOT, "%.1f", v);
    }

    static String esc(String s) {
        return s.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;").replace("\"", "&quot;");
    }
}
