package dev.kiln.dsl.summary;

import java.math.BigDecimal;
import java.math.RoundingMode;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * Keras 3's {@code model.summary()} table (keras/src/utils/summary_utils.py), for the runtime's {@code summary()} and
 * the processor's Javadoc of the generated class, so that the two print the same table. Not for model code.
 *
 * <p>What Keras prints, and so this table: one row per layer, not per application. A layer applied several times
 * ({@code @Shared}) is one row whose "Connected to" lists every application's inputs; a nested model is one
 * {@code (Functional)} row holding its parameters, its layers shown beneath it, indented, only when expanded. A
 * connection reads {@code layer[i][j]}: the i-th application of {@code layer}, its j-th output. A model that is a plain
 * chain (one input per layer, no layer applied twice) has no "Connected to" column, as Keras's Sequential-like
 * summary. Columns are as wide as their widest cell (Keras fits them to the terminal and wraps cells instead).
 */
public final class SummaryTable {
    /**
     * One node of the model, as the generated code runs it: {@code weights} names the layer whose weights it uses (its
     * own name, a shared layer's, or {@code nested/inner} for a nested model's layers), {@code params} its own count
     * (0 for a later application of a shared layer). A part ({@code @Part}) has no row: it is {@code output} (1 or
     * more) of its one input's call, and its consumers are connected to that, {@code encoder[0][1]}; 0 for any other
     * node.
     */
    public record Node(String name, String kerasClass, List<String> inputs, long[] shape, String weights,
            long params, int output) {
        public Node {
            inputs = List.copyOf(inputs);
        }

        /** A node with a row of its own. */
        public Node(String name, String kerasClass, List<String> inputs, long[] shape, String weights, long params) {
            this(name, kerasClass, inputs, shape, weights, params, 0);
        }
    }

    /**
     * One application of a nested model: the node {@code name}, the model interface's qualified name, the
     * application's inputs, its member nodes (the nested model's layers as inlined under it), their names inside the
     * nested model ({@code innerNames}, in the same order), and which members are its outputs, in order.
     */
    public record Nested(String name, String modelName, List<String> inputs, List<String> members,
            List<String> innerNames, List<String> outputs) {
        public Nested {
            inputs = List.copyOf(inputs);
            members = List.copyOf(members);
            innerNames = List.copyOf(innerNames);
            outputs = List.copyOf(outputs);
            if (innerNames.size() != members.size()) {
                throw new IllegalArgumentException(name + ": " + members.size() + " members but " + innerNames.size()
                        + " inner names");
            }
        }
    }

    /** The counts under the table; {@code bytesPerParam} sizes the memory (4 in float32, 8 in float64). */
    public record Totals(long trainable, long nonTrainable, int bytesPerParam, long optimizerParams,
            long optimizerBytes) {
    }

    /** An application of a layer: the layer's row, and which of its applications this is (Keras's node index). */
    private record Application(String layer, int index) {
    }

    /** A layer's row; a nested model's also lists its layers for {@code expandNested}, as inner name and node. */
    private static final class Row {
        final String name;
        final String type;
        final List<String> connections = new ArrayList<>();
        String shape;
        final long params;
        final Map<String, Node> members;

        Row(String name, String type, long params, Map<String, Node> members) {
            this.name = name;
            this.type = type;
            this.params = params;
            this.members = members;
        }
    }

    private SummaryTable() {
    }

    /**
     * The table for {@code nodes} in execution order (inputs first), with the nested applications among them; when
     * {@code expandNested}, each nested model's layers follow its row, indented as Keras's {@code expand_nested}.
     */
    public static String render(String modelName, List<Node> nodes, List<Nested> nested, Totals totals,
            boolean expandNested) {
        return render(modelName, nodes, nested, totals, expandNested, false);
    }

    /**
     * {@link #render(String, List, List, Totals, boolean)}, drawn in ASCII when {@code ascii} ({@code +}, {@code -},
     * {@code =}, {@code |}): the generated source's Javadoc keeps to ASCII, whatever encoding javac reads it in.
     */
    public static String render(String modelName, List<Node> nodes, List<Nested> nested, Totals totals,
            boolean expandNested, boolean ascii) {
        Map<String, Nested> nestedOf = new HashMap<>();
        for (Nested n : nested) {
            for (String m : n.members()) {
                nestedOf.put(m, n);
            }
        }
        Map<String, Node> byName = new HashMap<>();
        for (Node n : nodes) {
            byName.put(n.name(), n);
        }
        // each application gets its layer (the row) and its index among that layer's applications
        Map<String, Row> rows = new LinkedHashMap<>();
        Map<Object, Application> applications = new HashMap<>();
        Map<String, Integer> counts = new HashMap<>();
        Map<String, String> shapes = new HashMap<>();
        for (Node n : nodes) {
            Nested group = nestedOf.get(n.name());
            Object owner = group != null ? group : n;
            if (applications.containsKey(owner) || n.output() > 0) {
                continue; // a part is an output of another row's call
            }
            String layer = group != null ? root(byName.get(group.members().get(0)).weights()) : root(n.weights());
            if (group == null && n.inputs().isEmpty()) {
                layer = n.name();
            }
            int index = counts.merge(layer, 1, Integer::sum) - 1;
            applications.put(owner, new Application(layer, index));
            if (index == 0) {
                Row row;
                if (group != null) {
                    Map<String, Node> members = new LinkedHashMap<>();
                    for (int i = 0; i < group.members().size(); i++) {
                        Node m = byName.get(group.members().get(i));
                        if (m != null) {
                            members.put(group.innerNames().get(i), m);
                        }
                    }
                    long params = members.values().stream().mapToLong(Node::params).sum();
                    row = new Row(layer, "Functional", params, members);
                } else {
                    row = new Row(layer, n.kerasClass(), n.params(), Map.of());
                }
                rows.put(layer, row);
            }
            Row row = rows.get(layer);
            List<String> inputs = group != null ? group.inputs() : n.inputs();
            row.shape = group != null ? shapes(group.outputs(), byName) : shape(n.shape());
            for (String input : inputs) {
                row.connections.add(connection(input, nestedOf, byName, applications));
            }
        }
        boolean sequentialLike = rows.values().stream().allMatch(r -> r.connections.size() <= 1)
                && counts.values().stream().allMatch(c -> c == 1) && chain(nodes, nestedOf)
                && nodes.stream().allMatch(n -> n.output() == 0);

        List<String[]> cells = new ArrayList<>();
        for (Row r : rows.values()) {
            cells.add(cells(r.name + " (" + r.type + ")", r.shape, r.params, r.connections, sequentialLike));
            if (expandNested) {
                r.members.forEach((inner, m) -> cells.add(cells("   └ " + inner + " (" + m.kerasClass() + ")",
                        shape(m.shape()), m.params(), List.of(), sequentialLike)));
            }
        }
        String[] header = sequentialLike ? new String[] {"Layer (type)", "Output Shape", "Param #"}
                : new String[] {"Layer (type)", "Output Shape", "Param #", "Connected to"};
        String table = table(header, cells);
        if (ascii) {
            table = table.replace("└ ", "- ").replaceAll("[┏┳┓┡╇┩├┼┤└┴┘]", "+").replace('━', '=')
                    .replace('─', '-').replaceAll("[┃│]", "|");
        }
        return "Model: \"" + modelName + "\"\n" + table + footer(totals);
    }

    private static String[] cells(String layer, String shape, long params, List<String> connections,
            boolean sequentialLike) {
        String count = String.format(Locale.ROOT, "%,d", params);
        if (sequentialLike) {
            return new String[] {layer, shape, count};
        }
        return new String[] {layer, shape, count, connections.isEmpty() ? "-" : String.join(", ", connections)};
    }

    /** The first segment of a weights path: the top-level layer whose weights a node uses. */
    private static String root(String weights) {
        int slash = weights.indexOf('/');
        return slash < 0 ? weights : weights.substring(0, slash);
    }

    private static String connection(String input, Map<String, Nested> nestedOf, Map<String, Node> byName,
            Map<Object, Application> applications) {
        Node part = byName.get(input);
        if (part != null && part.output() > 0) { // output k of its input's call
            String of = connection(part.inputs().get(0), nestedOf, byName, applications);
            return of.substring(0, of.lastIndexOf('[')) + "[" + part.output() + "]";
        }
        Nested group = nestedOf.get(input);
        Application a = applications.get(group != null ? group : byName.get(input));
        int output = group == null ? 0 : Math.max(0, group.outputs().indexOf(input));
        return a.layer() + "[" + a.index() + "][" + output + "]";
    }

    /** True when every layer (a nested model counting as one) takes one input and feeds at most one other. */
    private static boolean chain(List<Node> nodes, Map<String, Nested> nestedOf) {
        Map<Object, Integer> consumers = new HashMap<>();
        for (Node n : nodes) {
            Nested group = nestedOf.get(n.name());
            for (String input : group != null ? List.<String>of() : n.inputs()) {
                Object producer = nestedOf.containsKey(input) ? nestedOf.get(input) : input;
                consumers.merge(producer, 1, Integer::sum);
            }
        }
        for (Nested g : new java.util.HashSet<>(nestedOf.values())) {
            for (String input : g.inputs()) {
                Object producer = nestedOf.containsKey(input) ? nestedOf.get(input) : input;
                consumers.merge(producer, 1, Integer::sum);
            }
            if (g.inputs().size() > 1) {
                return false;
            }
        }
        return consumers.values().stream().allMatch(c -> c <= 1)
                && nodes.stream().filter(n -> !nestedOf.containsKey(n.name())).allMatch(n -> n.inputs().size() <= 1)
                && nodes.stream().filter(n -> n.inputs().isEmpty() && !nestedOf.containsKey(n.name())).count() <= 1;
    }

    private static String shapes(List<String> outputs, Map<String, Node> byName) {
        if (outputs.size() == 1) {
            return shape(byName.get(outputs.get(0)).shape());
        }
        List<String> each = outputs.stream().map(o -> shape(byName.get(o).shape())).toList();
        return "[" + String.join(", ", each) + "]";
    }

    /** {@code (None, 28, 28, 1)}: Keras's shape with its batch axis; an open axis is {@code None}. */
    public static String shape(long[] shape) {
        StringBuilder sb = new StringBuilder("(None");
        for (long d : shape) {
            sb.append(", ").append(d < 0 ? "None" : Long.toString(d));
        }
        return sb.append(')').toString();
    }

    /** Keras's box-drawn table: a heavy header, a light rule between rows; "Param #" right-aligned. */
    private static String table(String[] header, List<String[]> rows) {
        int[] widths = new int[header.length];
        for (int c = 0; c < header.length; c++) {
            widths[c] = header[c].length();
            for (String[] r : rows) {
                widths[c] = Math.max(widths[c], r[c].length());
            }
        }
        StringBuilder sb = new StringBuilder();
        rule(sb, widths, '┏', '━', '┳', '┓');
        line(sb, widths, header, '┃');
        rule(sb, widths, '┡', '━', '╇', '┩');
        for (int i = 0; i < rows.size(); i++) {
            if (i > 0) {
                rule(sb, widths, '├', '─', '┼', '┤');
            }
            line(sb, widths, rows.get(i), '│');
        }
        rule(sb, widths, '└', '─', '┴', '┘');
        return sb.toString();
    }

    private static void rule(StringBuilder sb, int[] widths, char left, char fill, char cross, char right) {
        sb.append(left);
        for (int c = 0; c < widths.length; c++) {
            sb.append(String.valueOf(fill).repeat(widths[c] + 2)).append(c < widths.length - 1 ? cross : right);
        }
        sb.append('\n');
    }

    private static void line(StringBuilder sb, int[] widths, String[] cells, char bar) {
        sb.append(bar);
        for (int c = 0; c < widths.length; c++) {
            String pad = " ".repeat(widths[c] - cells[c].length());
            boolean right = c == 2; // Param #
            sb.append(' ').append(right ? pad + cells[c] : cells[c] + pad).append(' ').append(bar);
        }
        sb.append('\n');
    }

    private static String footer(Totals t) {
        long total = t.trainable() + t.nonTrainable() + t.optimizerParams();
        StringBuilder sb = new StringBuilder();
        sb.append(count(" Total params: ", total, (t.trainable() + t.nonTrainable()) * t.bytesPerParam()
                + t.optimizerBytes()));
        sb.append(count(" Trainable params: ", t.trainable(), t.trainable() * t.bytesPerParam()));
        sb.append(count(" Non-trainable params: ", t.nonTrainable(), t.nonTrainable() * t.bytesPerParam()));
        if (t.optimizerParams() > 0) {
            sb.append(count(" Optimizer params: ", t.optimizerParams(), t.optimizerBytes()));
        }
        return sb.toString();
    }

    private static String count(String label, long n, long bytes) {
        return label + String.format(Locale.ROOT, "%,d", n) + " (" + memory(bytes) + ")\n";
    }

    /**
     * Keras's {@code readable_memory_size}: B, KB, MB, ... in steps of 1024, two decimals rounded as Python's format
     * rounds (the exact binary value, half to even), so 4,224 bytes are {@code 4.12 KB}.
     */
    public static String memory(double bytes) {
        String[] units = {"B", "KB", "MB", "GB", "TB", "PB"};
        int u = 0;
        while (u < units.length - 1 && bytes / 1024 >= 1) {
            bytes /= 1024;
            u++;
        }
        return new BigDecimal(bytes).setScale(2, RoundingMode.HALF_EVEN).toPlainString() + " " + units[u];
    }
}
