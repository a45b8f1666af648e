package dev.kiln.processor;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import javax.tools.Diagnostic;

/**
 * Diagnostics collected for one model across all stages, in the order found. Stages only add to it; the processor
 * prints it once at the end, so every problem of a model shows in one compile.
 */
public final class Report {
    /** One diagnostic. */
    public record Entry(Rule rule, Site site, String message) {
        /** The text javac shows: the rule's ID, then the message. */
        public String text() {
            return "[" + rule.id() + "] " + message;
        }
    }

    private final List<Entry> entries = new ArrayList<>();
    private final Set<String> brokenNodes = new HashSet<>();

    public void add(Rule rule, Site site, String message) {
        entries.add(new Entry(rule, site, message));
        if (rule.kind() == Diagnostic.Kind.ERROR && site.node() != null) {
            brokenNodes.add(site.node());
        }
    }

    public List<Entry> entries() {
        return List.copyOf(entries);
    }

    public boolean hasErrors() {
        return entries.stream().anyMatch(e -> e.rule().kind() == Diagnostic.Kind.ERROR);
    }

    /** True when an error was reported on this node: later stages stay quiet about it, so one cause gives one error. */
    public boolean isBroken(String node) {
        return brokenNodes.contains(node);
    }
}
