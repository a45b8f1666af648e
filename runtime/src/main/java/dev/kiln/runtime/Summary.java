package dev.kiln.runtime;

import dev.kiln.runtime.ModelSpec.NodeSpec;
import dev.kiln.runtime.ModelSpec.VariableSpec;
import java.util.Locale;

/** Keras's {@code model.summary()} table, rendered from a {@link ModelSpec}. */
final class Summary {
    private static final int[] COLUMNS = {32, 24, 12, 30};

    private Summary() {
    }

    /** The table, the parameters' memory counted at {@code bytesPerParam} (4 in float32, 8 in float64). */
    static String render(ModelSpec spec, java.util.Set<String> frozen, int bytesPerParam) {
        StringBuilder sb = new StringBuilder();
        int width = 0;
        for (int c : COLUMNS) {
            width += c;
        }
        String rule = "_".repeat(width) + "\n";
        String thick = "=".repeat(width) + "\n";
        sb.append("Model: \"").append(spec.modelName()).append("\"\n").append(rule);
        row(sb, "Layer (type)", "Output Shape", "Param #", "Connected to");
        sb.append(thick);
        long total = 0;
        long trainable = 0;
        for (NodeSpec n : spec.nodes()) {
            row(sb, n.name() + " (" + n.config().kerasClassName() + ")", shape(n.shape()),
                    String.format(Locale.ROOT, "%,d", n.params()), n.inputs().isEmpty() ? "-" : String.join(", ", n.inputs()));
        }
        for (VariableSpec v : spec.variables()) {
            total += v.length();
            trainable += v.trainable() && !frozen.contains(v.name()) ? v.length() : 0;
        }
        sb.append(thick);
        sb.append(String.format(Locale.ROOT, "Total params: %,d (%s)%n", total, bytes(total * bytesPerParam)));
        sb.append(String.format(Locale.ROOT, "Trainable params: %,d (%s)%n", trainable,
                bytes(trainable * bytesPerParam)));
        sb.append(String.format(Locale.ROOT, "Non-trainable params: %,d (%s)%n", total - trainable,
                bytes((total - trainable) * bytesPerParam)));
        return sb.toString();
    }

    private static void row(StringBuilder sb, String... cells) {
        for (int i = 0; i < cells.length; i++) {
            String cell = " " + cells[i];
            sb.append(cell);
            if (i < cells.length - 1) {
                sb.append(" ".repeat(Math.max(1, COLUMNS[i] - cell.length())));
            }
        }
        sb.append('\n');
    }

    static String shape(long[] shape) {
        StringBuilder sb = new StringBuilder("(None");
        for (long d : shape) {
            sb.append(", ").append(d < 0 ? "None" : Long.toString(d));
        }
        return sb.append(')').toString();
    }

    private static String bytes(long b) {
        if (b < 1024) {
            return b + " B";
        }
        if (b < 1024 * 1024) {
            return String.format(Locale.ROOT, "%.2f KB", b / 1024.0);
        }
        return String.format(Locale.ROOT, "%.2f MB", b / (1024.0 * 1024));
    }
}
