package dev.kiln.processor.report;

import dev.kiln.processor.graph.Node;
import dev.kiln.processor.plan.Plan;
import java.util.Locale;

/** The report for people: the summary with costs, the totals, the planned memory, the weights, and the graph. */
final class TextReport {
    private static final String ROW = "%-30s %-16s %12s %14s %14s  %s%n";

    private TextReport() {
    }

    static String render(ModelReport r, String dot) {
        StringBuilder sb = new StringBuilder();
        sb.append("Kiln report: ").append(r.model()).append(" -> ").append(r.generated()).append(" (hash ")
                .append(r.hash()).append(")\n");
        sb.append("Per sample (no batch axis); an open axis (None) counts as 1. MACs: multiply-adds of the matrix"
                + " products;\na training step is forward + backward (weights' and inputs' gradients).\n\n");
        sb.append(String.format(Locale.ROOT, ROW, "Layer (type)", "Output shape", "Params", "Forward MACs",
                "Training MACs", "Connected to"));
        sb.append("-".repeat(110)).append('\n');
        for (ModelReport.Row row : r.rows()) {
            Node n = row.node();
            sb.append(String.format(Locale.ROOT, ROW, n.name() + " (" + n.layer().kerasName() + ")", n.shape(),
                    number(row.params()), number(row.forwardMacs()), number(row.trainingMacs()),
                    n.inputs().isEmpty() ? "-" : String.join(", ", n.inputs())).stripTrailing()).append('\n');
        }
        sb.append("-".repeat(110)).append('\n');
        if (!r.unplanned().isEmpty()) {
            sb.append("Not planned (feed no output): ").append(String.join(", ", r.unplanned())).append('\n');
        }
        ModelReport.Totals t = r.totals();
        sb.append("Total params: ").append(number(t.params())).append(" (").append(bytes(t.params() * 4)).append(")\n");
        sb.append("Trainable params: ").append(number(t.trainableParams())).append('\n');
        sb.append("Non-trainable params: ").append(number(t.nonTrainableParams())).append('\n');
        sb.append("Multiply-adds per sample: forward ").append(number(t.forwardMacs())).append(", training step ")
                .append(number(t.trainingMacs())).append('\n');
        sb.append("Activation memory per sample: ").append(number(t.activationElements())).append(" values (")
                .append(bytes(t.activationElements() * 4)).append(" in float32)\n");
        sb.append("Planned buffers per sample: ").append(number(t.bufferElements())).append(" values (")
                .append(bytes(t.bufferElements() * 4)).append(" in float32) in ").append(r.slots()).append(" slots\n");
        sb.append("Kernel calls: predict ").append(r.calls().inference()).append(", training step ")
                .append(r.calls().trainingForward() + r.calls().backward()).append(" (forward ")
                .append(r.calls().trainingForward()).append(", backward ").append(r.calls().backward()).append(")\n");

        sb.append("\nBuffers (slot, field, shape per sample):\n");
        for (Plan.Buffer b : r.buffers()) {
            sb.append(String.format(Locale.ROOT, "  %4d  %-24s %s%n", b.slot(), b.field(), b.shape()));
        }
        sb.append("\nWeights (index, name, shape, initializer, trainable):\n");
        for (Plan.Weight w : r.weights()) {
            sb.append(String.format(Locale.ROOT, "  %4d  %-24s %-14s %-16s %s%n", w.index(), w.name(),
                    w.variable().shape(), w.variable().initializer(), w.variable().trainable()));
        }
        if (dot != null) {
            sb.append("\nGraph (Graphviz DOT):\n").append(dot);
        }
        return sb.toString();
    }

    static String number(long n) {
        return String.format(Locale.ROOT, "%,d", n);
    }

    static String bytes(long b) {
        if (b < 1024) {
            return b + " B";
        }
        if (b < 1024 * 1024) {
            return String.format(Locale.ROOT, "%.2f KB", b / 1024.0);
        }
        return String.format(Locale.ROOT, "%.2f MB", b / (1024.0 * 1024));
    }
}
