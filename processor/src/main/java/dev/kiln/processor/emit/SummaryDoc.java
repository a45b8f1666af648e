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
        for (Plan.LiveNode live : plan.nodes()) {
            Node n = live.node();
            total += live.params();
            trainable += live.trainableParams();
            table.append(String.format(Locale.ROOT, "%-34s %-22s %,12d%n", n.name() + " (" + n.layer().kerasName()
                    + ")", n.shape(), live.params()));
        }
        table.append(String.format(Locale.ROOT, "Total params: %,d (trainable %,d)%n", total, trainable));
        return CodeBlock.builder()
                .add("The model declared by {@link $L}, compiled by Kiln.\n\n", decl.interfaceName())
                .add("<pre>\n$L</pre>\n", table.toString().replace("<", "&lt;").replace(">", "&gt;"))
                .build();
    }
}
