package dev.kiln.runtime.data;

import java.util.Collection;
import java.util.Locale;

/** Suggestions for misspelled names ("did you mean 'aux'?"). */
final class ColumnNameSuggestions {
    private ColumnNameSuggestions() {
    }

    /**
     * The candidate closest to {@code name} by edit distance (case-insensitive), or null when none is close: at most
     * a third of the name's length away, and at least one edit allowed.
     */
    private static String closest(String name, Collection<String> candidates) {
        String best = null;
        int bestDistance = Math.max(1, name.length() / 3) + 1;
        for (String candidate : candidates) {
            int distance = distance(name.toLowerCase(Locale.ROOT), candidate.toLowerCase(Locale.ROOT));
            if (distance < bestDistance) {
                best = candidate;
                bestDistance = distance;
            }
        }
        return best;
    }

    /** " (did you mean 'x'?)" for the closest candidate, or an empty string. */
    static String didYouMean(String name, Collection<String> candidates) {
        String closest = closest(name, candidates);
        return closest == null ? "" : " (did you mean '" + closest + "'?)";
    }

    /** Levenshtein distance. */
    private static int distance(String a, String b) {
        int[] previous = new int[b.length() + 1];
        int[] current = new int[b.length() + 1];
        for (int j = 0; j <= b.length(); j++) {
            previous[j] = j;
        }
        for (int i = 1; i <= a.length(); i++) {
            current[0] = i;
            for (int j = 1; j <= b.length(); j++) {
                int substitution = previous[j - 1] + (a.charAt(i - 1) == b.charAt(j - 1) ? 0 : 1);
                current[j] = Math.min(substitution, Math.min(previous[j], current[j - 1]) + 1);
            }
            int[] swap = previous;
            previous = current;
            current = swap;
        }
        return previous[b.length()];
    }
}
