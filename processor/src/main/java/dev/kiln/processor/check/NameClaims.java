package dev.kiln.processor.check;

import dev.kiln.processor.Report;
import dev.kiln.processor.Rule;
import dev.kiln.processor.Site;
import dev.kiln.processor.read.ModelDecl;
import java.util.HashMap;
import java.util.HashSet;
import java.util.Map;
import java.util.Set;

/**
 * Which generated class each model claims, across all rounds of one compilation, against the types the user's sources
 * declare: two models may not generate one class, and a model may not generate a class the sources already have.
 */
public final class NameClaims {
    /** Generated qualified name to the model that claimed it. */
    private final Map<String, String> claims = new HashMap<>();
    private final Set<String> sourceTypes = new HashSet<>();

    /** A type declared in the sources being compiled (not one Kiln generated). */
    public void sourceType(String qualifiedName) {
        sourceTypes.add(qualifiedName);
    }

    /** Claims {@code decl}'s generated class; reports a clash instead when it is taken. */
    public void claim(ModelDecl decl, Report report) {
        if (report.entries().stream().anyMatch(e -> e.rule() == Rule.NAME_CLASH)) {
            return; // @Model(name = ...) is no class name at all: the reader said so
        }
        boolean explicitName = !decl.generatedName().equals(decl.interfaceName() + "Model");
        String generated = decl.generatedQualifiedName();
        Site site = explicitName ? Site.modelAttribute("Model", "name") : Site.model();
        String choose = explicitName ? "Choose another name in @Model(name = \"...\")."
                : "Rename one, or choose the class name with @Model(name = \"...\").";
        String claimed = claims.putIfAbsent(generated, decl.qualifiedName());
        if (claimed != null && !claimed.equals(decl.qualifiedName())) {
            report.add(Rule.NAME_CLASH, site, "model '" + decl.qualifiedName() + "' would generate " + generated
                    + ", which model '" + claimed + "' already generates. " + choose);
        } else if (generated.equals(decl.qualifiedName())) {
            report.add(Rule.NAME_CLASH, site, "model '" + decl.qualifiedName() + "' would generate " + generated
                    + ", the interface itself. " + choose);
        } else if (sourceTypes.contains(generated)) {
            report.add(Rule.NAME_CLASH, site, "model '" + decl.qualifiedName() + "' would generate " + generated
                    + ", but the sources already declare a type of that name. " + choose);
        }
    }
}
