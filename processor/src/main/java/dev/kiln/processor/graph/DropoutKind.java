package dev.kiln.processor.graph;

import dev.kiln.processor.Report;
import dev.kiln.processor.Rule;
import dev.kiln.processor.Site;
import dev.kiln.processor.read.NodeDecl;
import java.util.List;

/** {@code @Dropout(rate)}: inverted dropout in training, identity at inference, Keras's {@code Dropout}. */
final class DropoutKind implements LayerKind {
    @Override
    public String annotation() {
        return "Dropout";
    }

    @Override
    public void validate(NodeDecl node, Report report) {
        double rate = node.layer().real("rate");
        if (!(rate >= 0 && rate < 1)) {
            report.add(Rule.ILLEGAL_ATTRIBUTE, Site.attribute(node.name(), "Dropout", "rate"), "Dropout '" + node.name()
                    + "' has rate = " + rate + ", but the rate is the fraction of inputs dropped and must lie in [0, 1)."
                    + " Use e.g. @Dropout(rate = 0.5).");
        }
    }

    @Override
    public Shape outputShape(NodeDecl node, List<Shape> inputs, Report report) {
        return inputs.get(0);
    }
}
