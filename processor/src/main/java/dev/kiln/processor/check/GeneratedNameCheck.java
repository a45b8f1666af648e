package dev.kiln.processor.check;

import dev.kiln.processor.Report;
import dev.kiln.processor.Rule;
import dev.kiln.processor.Site;
import dev.kiln.processor.graph.ModelGraph;
import dev.kiln.processor.graph.Node;
import java.util.List;
import java.util.Set;

/**
 * Names the generated class gives to the user's nodes must be legal there: with several outputs, {@code predict}
 * returns a record {@code Outputs} with one component per output, and a record component cannot be named like a
 * method every object has. (Clashes between whole generated classes are {@link NameClaims}'s.)
 */
final class GeneratedNameCheck implements Check {
    /** Names JLS 8.10.1 forbids for record components that an interface method may still have. */
    static final Set<String> RECORD_RESERVED = Set.of("clone", "finalize", "getClass", "hashCode", "notify",
            "notifyAll", "toString", "wait");

    @Override
    public void run(ModelGraph graph, Report report) {
        List<Node> outputs = graph.outputs();
        if (outputs.size() < 2) {
            return;
        }
        for (Node o : outputs) {
            if (RECORD_RESERVED.contains(o.name())) {
                report.add(Rule.NAME_CLASH, Site.node(o.name()), "output '" + o.name() + "' would name a component of"
                        + " the record " + graph.decl().generatedName() + ".Outputs that predict returns, but a record"
                        + " component cannot be called '" + o.name() + "'. Rename the node, e.g. '" + o.name()
                        + "Output'.");
            }
        }
        if (graph.decl().generatedName().equals("Outputs")) {
            report.add(Rule.NAME_CLASH, Site.modelAttribute("Model", "name"), "the generated class would be called"
                    + " Outputs, but with several outputs it holds a record of that name. Choose another name with"
                    + " @Model(name = \"...\").");
        }
    }
}
