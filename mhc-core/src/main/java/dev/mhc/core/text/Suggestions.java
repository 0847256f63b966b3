package dev.mhc.core.text;

import java.util.Locale;
import java.util.Set;

/** "Did you mean ...?" for names a user typed: the nearest known name by edit distance. */
public final class Suggestions {

    private Suggestions() {}

    /** The candidate nearest to {@code wanted} by case-insensitive edit distance, if near. */
    public static String closest(String wanted, Set<String> candidates) {
        String best = null;
        int bestDistance = Integer.MAX_VALUE;
        for (String candidate : candidates) {
            int d = editDistance(wanted.toLowerCase(Locale.ROOT), candidate.toLowerCase(Locale.ROOT));
            if (d < bestDistance) {
                best = candidate;
                bestDistance = d;
            }
        }
        int tolerance = Math.max(2, wanted.length() / 3);
        return bestDistance <= tolerance ? best : null;
    }

    /** @return the Levenshtein distance between {@code a} and {@code b} (insertions, deletions, substitutions) */
    public static int editDistance(String a, String b) {
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
