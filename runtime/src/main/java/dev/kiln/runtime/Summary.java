package dev.kiln.runtime;

import dev.kiln.dsl.summary.SummaryTable;
import dev.kiln.runtime.ModelSpec.NodeSpec;
import dev.kiln.runtime.ModelSpec.VariableSpec;
import dev.kiln.runtime.layer.PartConfig;
import dev.kiln.runtime.optim.Optimizer;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.nd4j.linalg.api.ndarray.INDArray;

/** Keras's {@code model.summary()} table, rendered from a {@link ModelSpec} by the table the processor also prints. */
final class Summary {
    private Summary() {
    }

    /**
     * The table: parameters' memory counted at {@code bytesPerParam} (4 in float32, 8 in float64), {@code frozen}
     * variables as non-trainable, and, once {@code optimizer} has taken a step, its variables (Keras's "Optimizer
     * params": its slots, the iteration count as an int64 and the learning rate as a float32).
     */
    static String render(ModelSpec spec, Set<String> frozen, int bytesPerParam, Optimizer optimizer,
            boolean expandNested) {
        List<SummaryTable.Node> nodes = spec.nodes().stream().map(Summary::node).toList();
        long trainable = 0;
        long nonTrainable = 0;
        for (VariableSpec v : spec.variables()) {
            if (v.trainable() && !frozen.contains(v.name())) {
                trainable += v.length();
            } else {
                nonTrainable += v.length();
            }
        }
        long optimizerParams = 0;
        long optimizerBytes = 0;
        if (optimizer != null && optimizer.iterations() > 0) {
            for (Map.Entry<String, INDArray> slot : optimizer.state().entrySet()) {
                if (!slot.getKey().equals("iterations")) {
                    optimizerParams += slot.getValue().length();
                }
            }
            optimizerBytes = optimizerParams * bytesPerParam + Long.BYTES + Float.BYTES;
            optimizerParams += 2; // iterations and learning_rate, Keras's two scalar variables
        }
        return SummaryTable.render(spec.displayName(), nodes, spec.nested(), new SummaryTable.Totals(trainable,
                nonTrainable, bytesPerParam, optimizerParams, optimizerBytes), expandNested);
    }

    private static SummaryTable.Node node(NodeSpec n) {
        return new SummaryTable.Node(n.name(), n.config().kerasClassName(), n.inputs(), n.shape(), n.weights(),
                n.params(), n.config() instanceof PartConfig p ? p.output() : 0);
    }
}
