package dev.kiln.processor.emit;

import dev.kiln.dsl.summary.SummaryTable;
import dev.kiln.processor.graph.Node;
import dev.kiln.processor.layer.PartKind;
import dev.kiln.processor.plan.Plan;
import dev.kiln.processor.read.ModelDecl;
import dev.kiln.processor.read.NodeDecl;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * What the summary table is made of, from the plan: its live nodes and the applications of nested models. The
 * generated {@code SPEC} carries the same, so that the Javadoc's table and the runtime's {@code summary()} agree.
 */
final class SummaryRows {
    private SummaryRows() {
    }

    static List<SummaryTable.Node> nodes(Plan plan) {
        List<SummaryTable.Node> out = new ArrayList<>();
        for (Plan.LiveNode live : plan.nodes()) {
            Node n = live.node();
            int output = n.layer().attributes() instanceof PartKind.Attributes a ? a.output() : 0;
            out.add(new SummaryTable.Node(n.name(), n.layer().kerasName(), n.inputs(), n.shape().dims(), n.weights(),
                    live.params(), output));
        }
        return out;
    }

    /**
     * Each {@code @Nested} node, and each {@code @Shared} node that applies one again: the live nodes inlined under
     * its name ({@code node/inner}) and the node itself, which is the nested model's first output; its outputs are
     * that node and the further outputs that parts select, in the nested model's order.
     */
    static List<SummaryTable.Nested> nested(Plan plan) {
        ModelDecl decl = plan.graph().decl();
        Map<String, NodeDecl> decls = new HashMap<>();
        for (NodeDecl d : decl.nodes()) {
            decls.put(d.name(), d);
        }
        List<SummaryTable.Nested> out = new ArrayList<>();
        for (NodeDecl d : decl.nodes()) {
            ModelDecl model = nestedModel(d, decls);
            if (model == null) {
                continue;
            }
            List<String> results = model.nodes().stream().filter(n -> n.output() != null).map(NodeDecl::name)
                    .toList();
            String result = results.isEmpty() ? d.name() : results.get(0);
            List<String> members = new ArrayList<>();
            List<String> innerNames = new ArrayList<>();
            for (Plan.LiveNode live : plan.nodes()) {
                String name = live.node().name();
                if (name.equals(d.name()) || name.startsWith(d.name() + "/")) {
                    members.add(name);
                    innerNames.add(name.equals(d.name()) ? result : name.substring(d.name().length() + 1));
                }
            }
            if (members.contains(d.name())) { // an application that feeds no output is not planned
                List<String> outputs = new ArrayList<>(List.of(d.name()));
                for (String r : results.subList(Math.min(1, results.size()), results.size())) {
                    if (innerNames.contains(r)) { // a further output that a part selects
                        outputs.add(members.get(innerNames.indexOf(r)));
                    }
                }
                out.add(new SummaryTable.Nested(d.name(), model.qualifiedName(), d.parameters(), members, innerNames,
                        outputs));
            }
        }
        return out;
    }

    /** The model {@code d} runs: its own {@code @Nested} one, or the one of the node its {@code @Shared} applies. */
    private static ModelDecl nestedModel(NodeDecl d, Map<String, NodeDecl> decls) {
        Set<String> seen = new HashSet<>();
        NodeDecl owner = d;
        while (owner != null && owner.nested() == null && owner.layers().size() == 1 && owner.isShared()
                && seen.add(owner.name())) {
            owner = decls.get(owner.layer().constant("value"));
        }
        return owner == null ? null : owner.nested();
    }

    /** The counts under the Javadoc's table: float32, before training (no optimizer variables yet). */
    static SummaryTable.Totals totals(Plan plan) {
        long total = 0;
        long trainable = 0;
        for (Plan.LiveNode live : plan.nodes()) {
            total += live.params();
            trainable += live.trainableParams();
        }
        return new SummaryTable.Totals(trainable, total - trainable, Float.BYTES, 0, 0);
    }
}
