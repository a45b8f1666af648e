package dev.kiln.processor.check;

import dev.kiln.processor.Report;
import dev.kiln.processor.Rule;
import dev.kiln.processor.Site;
import dev.kiln.processor.graph.ModelGraph;
import dev.kiln.processor.graph.Node;
import java.util.Set;

/**
 * An {@code @Input(dtype = INT32)} holds ids; only a layer that looks ids up takes it. Every other layer computes on
 * float values, and the runtime does not cast ids to floats, so the model would fail on its first batch.
 */
final class DTypeCheck implements Check {
    /** Annotations of layers that take int32 ids (an embedding, when there is one). */
    static final Set<String> TAKES_IDS = Set.of("Embedding");

    @Override
    public void run(ModelGraph graph, Report report) {
        for (Node n : graph.nodes()) {
            if (n.layer() == null || report.isBroken(n.name()) || TAKES_IDS.contains(n.layer().annotation())) {
                continue;
            }
            for (String in : n.inputs()) {
                Node producer = graph.node(in);
                if (producer == null || !producer.isInput() || !"INT32".equals(producer.layer().constant("dtype"))) {
                    continue;
                }
                report.add(Rule.DTYPE_MISMATCH, Site.parameter(n.name(), in), n.layer().annotation() + " '" + n.name()
                        + "' computes on float values, but input '" + in + "' holds int32 ids (dtype = INT32), which"
                        + " only a layer that looks ids up takes. Drop dtype = INT32 from '" + in + "' to feed it"
                        + " float32 values.");
            }
        }
    }
}
