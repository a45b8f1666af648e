package dev.kiln.processor.check;

import dev.kiln.processor.Report;
import dev.kiln.processor.Rule;
import dev.kiln.processor.Site;
import dev.kiln.processor.graph.ModelGraph;
import dev.kiln.processor.graph.Node;
import dev.kiln.processor.layer.LayerKind;
import dev.kiln.processor.layer.PartKind;

/**
 * A mask marks the steps of a sequence to skip (the padding ids of an {@code Embedding(maskZero = true)}, the steps a
 * {@code Masking} layer finds empty). Layers that work step by step pass it on and recurrent layers skip the masked
 * steps; any other layer would compute on the padding as if it were data, so a mask reaching one is an error.
 */
final class MaskCheck implements Check {
    @Override
    public void run(ModelGraph graph, Report report) {
        for (Node n : graph.nodes()) {
            if (n.layer() == null || report.isBroken(n.name()) || n.layer().maskUse() != LayerKind.MaskUse.NONE
                    || n.layer().kind() instanceof PartKind) {
                continue; // a layer's part (a final state) is no step-wise value of its node: no mask reaches it
            }
            for (String in : n.inputs()) {
                String source = graph.maskSource(in);
                if (source == null) {
                    continue;
                }
                report.add(Rule.MASK_UNSUPPORTED, Site.parameter(n.name(), in), n.layer().annotation() + " '"
                        + n.name() + "' cannot take the mask on '" + in + "', which '" + source + "' ("
                        + graph.node(source).layer().annotation() + ") puts on its padding steps: it would compute on"
                        + " the padding as if it were data. Consume the mask first with a recurrent layer (SimpleRNN,"
                        + " LSTM, GRU) or GlobalAveragePooling1D, or drop it (maskZero = false).");
            }
        }
    }
}
