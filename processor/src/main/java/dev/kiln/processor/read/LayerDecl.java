package dev.kiln.processor.read;

import java.util.Map;
import java.util.Set;

/**
 * One layer annotation as written: its simple name ({@code "Dense"}), every attribute with defaults filled in (numbers,
 * booleans, strings, enum constant names, lists), and which attributes the user wrote.
 */
public record LayerDecl(String annotation, Map<String, Object> attributes, Set<String> explicit) {
    public int integer(String name) {
        return ((Number) attributes.get(name)).intValue();
    }

    public double real(String name) {
        return ((Number) attributes.get(name)).doubleValue();
    }

    public boolean flag(String name) {
        return (Boolean) attributes.get(name);
    }

    public String constant(String name) {
        return (String) attributes.get(name);
    }

    /** An {@code int[]} attribute (a single value written without braces is a list of one). */
    public int[] integers(String name) {
        return ((java.util.List<?>) attributes.get(name)).stream().mapToInt(o -> ((Number) o).intValue()).toArray();
    }

    /** An enum attribute as its constant. */
    public <E extends Enum<E>> E constant(String name, Class<E> type) {
        return Enum.valueOf(type, constant(name));
    }

    /** The annotation as the user wrote it, e.g. {@code @Dense(units = 64, activation = RELU)}. */
    public String source() {
        StringBuilder sb = new StringBuilder("@").append(annotation);
        String wrapped = attributes.get(ModelReader.WRAPPED) instanceof LayerDecl w ? " " + w.source() : "";
        if (explicit.isEmpty()) {
            return sb + wrapped;
        }
        sb.append('(');
        boolean first = true;
        for (Map.Entry<String, Object> e : attributes.entrySet()) {
            if (!explicit.contains(e.getKey())) {
                continue;
            }
            sb.append(first ? "" : ", ");
            first = false;
            if (!(explicit.size() == 1 && e.getKey().equals("value"))) {
                sb.append(e.getKey()).append(" = ");
            }
            sb.append(render(e.getKey(), e.getValue()));
        }
        return sb.append(')') + wrapped;
    }

    /** One attribute's value as Java source, e.g. {@code {28, 28, 1}} or {@code Input.NONE}. */
    public String render(String attribute) {
        return render(attribute, attributes.get(attribute));
    }

    private String render(String attribute, Object v) {
        if (v instanceof java.util.List<?> list) {
            StringBuilder sb = new StringBuilder(list.size() == 1 ? "" : "{");
            for (int i = 0; i < list.size(); i++) {
                sb.append(i == 0 ? "" : ", ").append(render(attribute, list.get(i)));
            }
            return sb.append(list.size() == 1 ? "" : "}").toString();
        }
        if (attribute.equals("shape") && v instanceof Integer i && i == dev.kiln.dsl.Input.NONE) {
            return "Input.NONE";
        }
        if (attribute.equals("value") && NAMES.contains(annotation)) {
            return "\"" + v + "\"";
        }
        return String.valueOf(v);
    }

    /** The annotations whose {@code value} is a name, a string literal in the source (enum constants are strings too). */
    private static final Set<String> NAMES = Set.of("Part", "Shared");
}
