package dev.kiln.processor;

import dev.kiln.processor.graph.ModelGraph;
import dev.kiln.processor.graph.Node;
import dev.kiln.processor.read.Sites;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import javax.annotation.processing.Messager;
import javax.lang.model.element.AnnotationMirror;
import javax.lang.model.element.AnnotationValue;
import javax.lang.model.element.Element;
import javax.lang.model.element.ExecutableElement;
import javax.tools.Diagnostic;

/**
 * Prints a {@link Report} through javac's Messager, each entry on its most precise position. A shape error reads as
 * DESIGN.md shows it: the headline (javac puts the source line and caret under it), the path of nodes that lead to it
 * with their shapes, then the fix.
 */
public final class Diagnostics {
    /** How many producers a shape error's path shows, nearest first. */
    static final int PATH_LENGTH = 6;

    private Diagnostics() {
    }

    static void print(Report report, Sites sites, ModelGraph graph, Messager messager) {
        for (Report.Entry e : report.entries()) {
            Sites.Position p = sites.resolve(e.site());
            if (e.rule().kind() == Diagnostic.Kind.WARNING && suppressed(p.element(), e.rule())) {
                continue;
            }
            String text = text(e, graph);
            if (p.value() != null) {
                messager.printMessage(e.rule().kind(), text, p.element(), p.annotation(), p.value());
            } else if (p.annotation() != null) {
                messager.printMessage(e.rule().kind(), text, p.element(), p.annotation());
            } else {
                messager.printMessage(e.rule().kind(), text, p.element());
            }
        }
    }

    /** The entry's text; a shape error with a separate fix gets the path with shapes between headline and fix. */
    static String text(Report.Entry e, ModelGraph graph) {
        if (e.rule() != Rule.SHAPE_MISMATCH || e.fix() == null || graph == null || e.site().node() == null
                || graph.node(e.site().node()) == null) {
            return e.text();
        }
        return "[" + e.rule().id() + "] " + e.message() + "\n" + path(graph, graph.node(e.site().node())) + e.fix();
    }

    /**
     * The nodes that feed {@code node}, in topological order (the nearest {@link #PATH_LENGTH}), one line each:
     * name, annotation, producers, shape.
     */
    static String path(ModelGraph graph, Node node) {
        Set<String> ancestors = new HashSet<>();
        Deque<String> todo = new ArrayDeque<>(node.inputs());
        while (!todo.isEmpty()) {
            String name = todo.pop();
            Node n = graph.node(name);
            if (n != null && ancestors.add(name)) {
                todo.addAll(n.inputs());
            }
        }
        List<Node> rows = new ArrayList<>();
        for (Node n : graph.nodes()) {
            if (ancestors.contains(n.name())) {
                rows.add(n);
            }
        }
        boolean cut = rows.size() > PATH_LENGTH;
        rows = rows.subList(Math.max(0, rows.size() - PATH_LENGTH), rows.size());
        int name = 0;
        int layer = 0;
        int from = 0;
        for (Node n : rows) {
            name = Math.max(name, n.name().length());
            layer = Math.max(layer, source(n).length());
            from = Math.max(from, from(n).length());
        }
        // javac indents a message's later lines by two: these show at six, the fix at two, as in DESIGN.md
        StringBuilder sb = new StringBuilder(cut ? "    ...\n" : "");
        for (Node n : rows) {
            String line = "    " + pad(n.name(), name) + "  " + pad(source(n), layer) + "  "
                    + (from == 0 ? "" : pad(from(n), from) + "  ") + (n.shape() == null ? "?" : n.shape());
            sb.append(line).append('\n');
        }
        return sb.toString();
    }

    private static String from(Node n) {
        return n.inputs().isEmpty() ? "" : "<- " + String.join(", ", n.inputs());
    }

    private static String pad(String s, int width) {
        return s + " ".repeat(width - s.length());
    }

    private static String source(Node n) {
        return n.decl() == null ? "" : n.decl().source();
    }

    /** The one error an exception inside Kiln becomes: it says it is Kiln's bug, names the model, and has the trace. */
    static String internalError(String model, Throwable e) {
        StringWriter trace = new StringWriter();
        e.printStackTrace(new PrintWriter(trace));
        return "[" + Rule.INTERNAL_ERROR.id() + "] Kiln failed on model '" + model + "'. This is a bug in Kiln, not in"
                + " your model; please report it with this trace:\n" + trace;
    }

    /** {@code @SuppressWarnings("kiln/UnusedNode")} (or {@code "kiln"}) on the element or an enclosing one. */
    private static boolean suppressed(Element element, Rule rule) {
        for (Element e = element; e != null; e = e.getEnclosingElement()) {
            for (AnnotationMirror m : e.getAnnotationMirrors()) {
                if (!m.getAnnotationType().toString().equals("java.lang.SuppressWarnings")) {
                    continue;
                }
                for (var entry : m.getElementValues().entrySet()) {
                    ExecutableElement key = entry.getKey();
                    if (!key.getSimpleName().contentEquals("value")) {
                        continue;
                    }
                    for (Object v : (List<?>) entry.getValue().getValue()) {
                        String s = String.valueOf(((AnnotationValue) v).getValue());
                        if (s.equals(rule.id()) || s.equals("kiln")) {
                            return true;
                        }
                    }
                }
            }
        }
        return false;
    }
}
