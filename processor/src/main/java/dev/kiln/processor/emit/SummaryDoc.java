package dev.kiln.processor.emit;

import com.palantir.javapoet.CodeBlock;
import dev.kiln.processor.graph.Node;
import dev.kiln.processor.plan.Plan;
import java.util.Locale;

/** The class Javadoc: what the model is, and its summary table (layer, output shape, parameters). */
final class SummaryDoc {
    private SummaryDoc() {
    }

    static CodeBlock render(Plan plan) {
        var decl = plan.graph().decl();
        StringBuilder table = new StringBuilder();
        table.append(String.format(Locale.ROOT, "%-34s %-22s %12s%n", "Layer (type)", "Output shape", "Params"));
        long total = 0;
        long trainable = 0;
        for (Node n : plan.graph().nodes()) {
            long params = 0;
            for (Plan.Weight w : plan.weights()) {
                if (w.name().startsWith(n.name() + "/")) {
                    params += w.variable().length();
                    trainable += w.variable().trainable() ? w.variable().length() : 0;
                }
            }
            if (n.isInput() || plan.forward().stream().anyMatch(b -> b.header().startsWith(n.name() + ": "))) {
                total += params;
                table.append(String.format(Locale.ROOT, "%-34s %-22s %,12d%n", n.name() + " (" + n.kind().kerasName()
                        + ")", n.shape(), params));
            }
        }
        table.append(String.format(Locale.ROOT, "Total params: %,d (trainable %,d)%n", total, trainable));
        return CodeBlock.builder()
                .add("The model declared by {@link $L}, compiled by Kiln.\n\n", decl.interfaceName())
                .add("<pre>\n$L</pre>\n", table.toString().replace("<", "&lt;").replace(">", "&gt;"))
                .build();
    }
}
