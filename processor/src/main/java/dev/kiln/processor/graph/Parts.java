package dev.kiln.processor.graph;

import dev.kiln.processor.Report;
import dev.kiln.processor.Rule;
import dev.kiln.processor.Site;
import dev.kiln.processor.layer.Layer;
import dev.kiln.processor.layer.PartKind;
import dev.kiln.processor.read.NodeDecl;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * The nodes with several values and the {@code @Part} nodes that select them. A node's own value is Keras's first
 * output; its further values (its layer's {@link Layer#parts}, a nested model's other {@code @Output}s) are its parts,
 * each a node of the graph once a {@code @Part} node selects it. This resolves each selection: the part's shape, or the
 * reason there is none, reported on the {@code @Part}'s value.
 */
final class Parts {
    /** Each node's parts by name, as its layer gives them for its input shapes. */
    private final Map<String, Map<String, Shape>> parts = new HashMap<>();
    /** The part node that selected each part first, keyed {@code node/part}. */
    private final Map<String, String> selectedBy = new HashMap<>();

    /** Records the parts of {@code node}, whose layer took inputs of {@code inputs} and gave its output a shape. */
    void record(String node, Layer<?> layer, List<Shape> inputs) {
        parts.put(node, layer.parts(inputs));
    }

    /**
     * The shape of the part that {@code d}, a {@code @Part} node, selects from {@code source} (whose layer is
     * {@code sourceLayer}), or null after reporting why it selects none. A source that has no shape was broken
     * before; it gets no second error.
     */
    Shape select(NodeDecl d, String source, Layer<?> sourceLayer, Report report) {
        Map<String, Shape> of = parts.get(source);
        if (of == null) {
            return null;
        }
        String part = d.layer().constant("value");
        Site site = Site.attribute(d.name(), "Part", "value");
        if (!of.containsKey(part)) {
            report.add(Rule.PART, site, "'" + d.name() + "' selects part '" + part + "' of '" + source + "', but "
                    + unknown(part, source, of, sourceLayer));
            return null;
        }
        String first = selectedBy.putIfAbsent(source + "/" + part, d.name());
        if (first != null) {
            report.add(Rule.PART, site, "'" + d.name() + "' selects part '" + part + "' of '" + source + "', which '"
                    + first + "' already selects. A part is one node: consume '" + first + "' instead.");
            return null;
        }
        return of.get(part);
    }

    /** Which output of its node's call the part {@code d} selects from {@code source} is: 1 for the first part. */
    int output(NodeDecl d, String source) {
        return 1 + List.copyOf(parts.get(source).keySet()).indexOf(d.layer().constant("value"));
    }

    /** Why {@code source}, whose parts are {@code of}, has no part {@code part}, and what to do. */
    private static String unknown(String part, String source, Map<String, Shape> of, Layer<?> layer) {
        String near = NodeNameSuggestions.closest(part, of.keySet());
        String known = of.isEmpty() ? "" : (of.size() == 1 ? "has one part, " : "has parts ")
                + quoted(List.copyOf(of.keySet())) + (near == null ? "." : "; did you mean '" + near + "'?");
        if (layer.kind() instanceof NestedKind nested) {
            String model = nested.kerasName();
            if (nested.firstOutput().equals(part)) {
                return "'" + part + "' is the first @Output of " + model + ", which is the value of '" + source
                        + "' itself. Consume '" + source + "'.";
            }
            return model + ", which '" + source + "' runs, " + (of.isEmpty() ? "has a single @Output, the node's"
                    + " own value. Add @Outputs to " + model + " to select more of its values." : known);
        }
        String what = layer.kerasName() + " '" + source + "' ";
        if (!of.isEmpty()) {
            return what + known;
        }
        String setting = layer.partsSetting();
        return setting == null ? what + "gives one value, its output, and has no parts. Parts are the final states"
                + " of a recurrent layer with returnState = true and the further @Outputs of a @Nested model."
                : what + "gives its parts only with " + setting + ". Add it: " + with(layer, setting) + ".";
    }

    /** The layer's annotation as written with {@code setting} added, e.g. {@code @LSTM(units = 8, returnState = true)}. */
    private static String with(Layer<?> layer, String setting) {
        String src = layer.decl().source();
        int wrapped = src.indexOf(" @"); // a wrapper's annotation, then the wrapped one's: the setting goes on the last
        String head = wrapped < 0 ? "" : src.substring(0, wrapped + 1);
        String last = wrapped < 0 ? src : src.substring(wrapped + 1);
        return head + (last.endsWith(")") ? last.substring(0, last.length() - 1) + ", " + setting + ")"
                : last + "(" + setting + ")");
    }

    private static String quoted(List<String> names) {
        StringBuilder sb = new StringBuilder();
        for (int i = 0; i < names.size(); i++) {
            sb.append(i == 0 ? "" : i == names.size() - 1 ? " and " : ", ").append('\'').append(names.get(i))
                    .append('\'');
        }
        return sb.toString();
    }

    /** Whether {@code layer} is a {@code @Part} node's. */
    static boolean isPart(Layer<?> layer) {
        return layer != null && layer.kind() instanceof PartKind;
    }
}
