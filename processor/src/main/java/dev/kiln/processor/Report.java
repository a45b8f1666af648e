package dev.kiln.processor;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import javax.tools.Diagnostic;

/**
 * Diagnostics collected for one model across all stages, in the order found. Stages only add to it; the processor
 * prints it once at the end, so every problem of a model shows in one compile.
 *
 * <p>A message reads: headline, then one fix. Given apart ({@link #add(Rule, Site, String, String)}), the printer can
 * put the path with shapes between them for a {@link Rule#SHAPE_MISMATCH}.
 */
public final class Report {
    /** One diagnostic: the headline ({@code message}) and the fix, or null when the message holds both. */
    public record Entry(Rule rule, Site site, String message, String fix) {
        public Entry(Rule rule, Site site, String message) {
            this(rule, site, message, null);
        }

        /** The text javac shows on one line: the rule's ID, the message, then the fix. */
        public String text() {
            return "[" + rule.id() + "] " + message + (fix == null ? "" : " " + fix);
        }
    }

    private final List<Entry> entries = new ArrayList<>();
    private final Set<String> brokenNodes = new HashSet<>();

    public void add(Rule rule, Site site, String message) {
        add(new Entry(rule, site, message));
    }

    /** A headline ("X needs ..., but ...") and one fix ("Make ..."), printed apart when a path goes between. */
    public void add(Rule rule, Site site, String headline, String fix) {
        add(new Entry(rule, site, headline, fix));
    }

    private void add(Entry e) {
        entries.add(e);
        if (e.rule().kind() == Diagnostic.Kind.ERROR && e.site().node() != null) {
            brokenNodes.add(e.site().node());
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
