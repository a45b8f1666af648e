package dev.kiln.processor.check;

import dev.kiln.processor.Report;
import dev.kiln.processor.graph.ModelGraph;
import java.util.List;

/** Stage 3: one validation rule over a resolved graph. Checks only report; they never change the graph. */
public interface Check {
    void run(ModelGraph graph, Report report);

    /** Every rule, in the order their messages read best. */
    static List<Check> all() {
        return List.of(new EndpointCheck(), new DTypeCheck(), new MaskCheck(), new LossCheck(), new GeneratedNameCheck(),
                new UnusedNodeCheck());
    }
}
