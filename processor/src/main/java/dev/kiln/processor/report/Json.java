package dev.kiln.processor.report;

import java.util.List;
import java.util.Map;

/**
 * A minimal JSON writer for the report's fixed structure: maps (in their iteration order), lists, strings, numbers,
 * booleans and null, pretty-printed with two spaces. Hand-written so that the processor, which runs inside every
 * user's javac, pulls in no JSON library.
 */
final class Json {
    private Json() {
    }

    static String write(Object value) {
        StringBuilder sb = new StringBuilder();
        write(sb, value, 0);
        return sb.append('\n').toString();
    }

    private static void write(StringBuilder sb, Object v, int depth) {
        if (v == null) {
            sb.append("null");
        } else if (v instanceof String s) {
            string(sb, s);
        } else if (v instanceof Double d) {
            if (d.isNaN() || d.isInfinite()) {
                string(sb, d.toString()); // JSON has no number for them (ReLU's unbounded maxValue): "Infinity"
                return;
            }
            sb.append(d); // Java's form, e.g. 0.5 or 1.0E-5, is a JSON number
        } else if (v instanceof Number || v instanceof Boolean) {
            sb.append(v);
        } else if (v instanceof Map<?, ?> map) {
            if (map.isEmpty()) {
                sb.append("{}");
                return;
            }
            sb.append("{\n");
            int i = 0;
            for (Map.Entry<?, ?> e : map.entrySet()) {
                indent(sb, depth + 1);
                string(sb, (String) e.getKey());
                sb.append(": ");
                write(sb, e.getValue(), depth + 1);
                sb.append(++i < map.size() ? ",\n" : "\n");
            }
            indent(sb, depth);
            sb.append('}');
        } else if (v instanceof List<?> list) {
            if (list.isEmpty()) {
                sb.append("[]");
                return;
            }
            boolean flat = list.stream().allMatch(o -> o == null || o instanceof Number || o instanceof String);
            sb.append(flat ? "[" : "[\n");
            for (int i = 0; i < list.size(); i++) {
                if (!flat) {
                    indent(sb, depth + 1);
                }
                write(sb, list.get(i), depth + 1);
                if (i < list.size() - 1) {
                    sb.append(flat ? ", " : ",\n");
                }
            }
            if (!flat) {
                sb.append('\n');
                indent(sb, depth);
            }
            sb.append(']');
        } else {
            throw new AssertionError("no JSON for " + v.getClass());
        }
    }

    private static void indent(StringBuilder sb, int depth) {
        sb.append("  ".repeat(depth));
    }

    static void string(StringBuilder sb, String s) {
        sb.append('"');
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            switch (c) {
                case '"' -> sb.append("\\\"");
                case '\\' -> sb.append("\\\\");
                case '\n' -> sb.append("\\n");
                case '\r' -> sb.append("\\r");
                case '\t' -> sb.append("\\t");
                default -> {
                    if (c < 0x20) {
                        sb.append(String.format("\\u%04x", (int) c));
                    } else {
                        sb.append(c);
                    }
                }
            }
        }
        sb.append('"');
    }
}
