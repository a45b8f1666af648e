package dev.kiln.processor.check;

import dev.kiln.processor.layer.InputKind;
import dev.kiln.processor.layer.LayerKinds;
import dev.kiln.processor.Report;
import dev.kiln.processor.Rule;
import dev.kiln.processor.Site;
import dev.kiln.processor.graph.ModelGraph;
import dev.kiln.processor.read.NodeDecl;

/** A model needs at least one {@code @Input} and at least one {@code @Output}. */
final class EndpointCheck implements Check {
    @Override
    public void run(ModelGraph graph, Report report) {
        var nodes = graph.decl().nodes();
        if (nodes.isEmpty()) {
            report.add(Rule.NO_INPUT, Site.model(), "model '" + graph.decl().interfaceName() + "' declares no nodes. Add"
                    + " an input and a layer, e.g. '@Input(shape = 32) Tensor x();' and '@Dense(units = 1) @Output Tensor"
                    + " y(Tensor x);'.");
            return;
        }
        boolean anyInput = nodes.stream().anyMatch(d -> d.layers().stream()
                .anyMatch(l -> LayerKinds.of(l.annotation()) instanceof InputKind));
        if (!anyInput) {
            report.add(Rule.NO_INPUT, Site.model(), "model '" + graph.decl().interfaceName() + "' has no @Input, so"
                    + " nothing can feed it. Declare one, e.g. '@Input(shape = 32) Tensor x();'.");
        }
        if (nodes.stream().noneMatch(d -> d.output() != null)) {
            NodeDecl last = nodes.get(nodes.size() - 1);
            report.add(Rule.NO_OUTPUT, Site.model(), "model '" + graph.decl().interfaceName() + "' has no @Output, so it"
                    + " computes nothing anyone can read. Mark the result node, e.g. @Output on '" + last.name() + "'.");
        }
    }
}
