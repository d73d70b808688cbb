package io.sensorreader.core;

import java.util.Collection;
import java.util.Locale;

/** "Did you mean …?": the known name nearest a misspelt one, by edit distance. */
final class Suggest {

    private Suggest() {
    }

    /**
     * The nearest of {@code known} to {@code typed} (case ignored), or {@code null} when none is close:
     * at most a third of the longer name's letters (at least 1, at most 3) differ.
     */
    static String nearest(String typed, Collection<String> known) {
        String best = null;
        int bestDistance = Integer.MAX_VALUE;
        String t = typed.toLowerCase(Locale.ROOT);
        for (String candidate : known) {
            int d = distance(t, candidate.toLowerCase(Locale.ROOT));
            int allowed = Math.max(1, Math.min(3, Math.max(t.length(), candidate.length()) / 3));
            if (d <= allowed && d < bestDistance) {
                best = candidate;
                bestDistance = d;
            }
        }
        return best;
    }

    /** Levenshtein distance, with a swap of two neighbours counting as one edit. */
    static int distance(String a, String b) {
        int[][] d = new int[a.length() + 1][b.length() + 1];
        for (int i = 0; i <= a.length(); i++) {
            d[i][0] = i;
        }
        for (int j = 0; j <= b.length(); j++) {
            d[0][j] = j;
        }
        for (int i = 1; i <= a.length(); i++) {
            for (int j = 1; j <= b.length(); j++) {
                int cost = a.charAt(i - 1) == b.charAt(j - 1) ? 0 : 1;
                d[i][j] = Math.min(Math.min(d[i - 1][j] + 1, d[i][j - 1] + 1), d[i - 1][j - 1] + cost);
                if (i > 1 && j > 1 && a.charAt(i - 1) == b.charAt(j - 2) && a.charAt(i - 2) == b.charAt(j - 1)) {
                    d[i][j] = Math.min(d[i][j], d[i - 2][j - 2] + 1);
                }
            }
        }
        return d[a.length()][b.length()];
    }
}
