package dev.kiln.processor.emit;

import com.palantir.javapoet.CodeBlock;
import dev.kiln.dsl.summary.SummaryTable;
import dev.kiln.processor.plan.Plan;

/**
 * The class Javadoc: what the model is, and its summary table, the one {@code summary()} prints for a fresh float32
 * model (Keras 3's format: a row per layer, a shared layer once, a nested model as one row).
 */
final class SummaryDoc {
    private SummaryDoc() {
    }

    static CodeBlock render(Plan plan) {
        var decl = plan.graph().decl();
        String table = SummaryTable.render(decl.displayName(), SummaryRows.nodes(plan), SummaryRows.nested(plan),
                SummaryRows.totals(plan), false, true);
        return CodeBlock.builder()
                .add("The model declared by {@link $L}, compiled by Kiln.\n\n", decl.interfaceName())
                .add("<pre>\n$L</pre>\n", table.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")
                        .replace("@", "&#64;"))
                .build();
    }
}
