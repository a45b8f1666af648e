package dev.kiln.processor.check;

import dev.kiln.processor.layer.InputKind;
import dev.kiln.processor.Report;
import dev.kiln.processor.Rule;
import dev.kiln.processor.Site;
import dev.kiln.processor.graph.ModelGraph;
import dev.kiln.processor.graph.Node;

/**
 * An {@code @Input(dtype = INT32)} (or {@code INT64}) holds ids; only a layer that looks ids up takes it. Every other layer computes on
 * float values, and the runtime does not cast ids to floats, so the model would fail on its first batch.
 */
final class DTypeCheck implements Check {
    @Override
    public void run(ModelGraph graph, Report report) {
        for (Node n : graph.nodes()) {
            if (n.layer() == null || report.isBroken(n.name()) || n.layer().takesIds()) {
                continue;
            }
            for (String in : n.inputs()) {
                Node producer = graph.node(in);
                if (producer == null || producer.layer() == null
                        || !(producer.layer().attributes() instanceof InputKind.Attributes a)
                        || !a.dtype().ids()) {
                    continue;
                }
                report.add(Rule.DTYPE_MISMATCH, Site.parameter(n.name(), in), n.layer().annotation() + " '" + n.name()
                        + "' computes on float values, but input '" + in + "' holds " + a.dtype().name()
                        .toLowerCase(java.util.Locale.ROOT) + " ids (dtype = " + a.dtype() + "), which only a layer"
                        + " that looks ids up takes. Drop dtype = " + a.dtype() + " from '" + in + "' to feed it"
                        + " float32 values.");
            }
        }
    }
}
