package dev.descent.optim.spec;

import java.util.Collection;
import java.util.Comparator;
import java.util.Locale;

/**
 * Helpers for "did you mean" errors about unknown names and keys.
 */
public final class Names {
    private Names() {
    }

    /**
     * Finds the candidate closest to {@code wanted} by case-insensitive Damerau-Levenshtein distance (the
     * optimal string alignment variant: insertions, deletions, substitutions, adjacent transpositions).
     *
     * @param wanted the name that was not found
     * @param candidates the valid names; on a tie the earlier one wins
     * @return the closest candidate, or null when there is none within {@code max(2, wanted.length() / 2)}
     */
    public static String closest(String wanted, Collection<String> candidates) {
        String w = wanted.toLowerCase(Locale.ROOT);
        String best = null;
        int bestDistance = Integer.MAX_VALUE;
        for (String c : candidates) {
            int d = distance(w, c.toLowerCase(Locale.ROOT));
            if (d < bestDistance) {
                best = c;
                bestDistance = d;
            }
        }
        return bestDistance <= Math.max(2, wanted.length() / 2) ? best : null;
    }

    /**
     * Words a one-line error for an unknown name, such as
     * {@code unknown optimizer 'adm'; did you mean 'adam'? valid names: adadelta, adagrad, adam}.
     *
     * @param what what kind of name it is, free-form, for example {@code optimizer} or {@code key for adam}
     * @param wanted the name that was not found
     * @param valid the valid names, listed sorted; the "did you mean" part is left out when none is close
     * @return the message
     */
    public static String unknown(String what, String wanted, Collection<String> valid) {
        String guess = closest(wanted, valid);
        String list = String.join(", ", valid.stream().distinct()
                .sorted(String.CASE_INSENSITIVE_ORDER.thenComparing(Comparator.naturalOrder())).toList());
        return "unknown " + what + " '" + wanted + "'" + (guess == null ? ";" : "; did you mean '" + guess + "'?")
                + " valid names: " + (list.isEmpty() ? "(none)" : list);
    }

    /** Optimal string alignment distance between two strings. */
    static int distance(String a, String b) {
        int[][] d = new int[a.length() + 1][b.length() + 1];
        for (int i = 0; i <= a.length(); i++) {
            for (int j = 0; j <= b.length(); j++) {
                if (i == 0 || j == 0) {
                    d[i][j] = i + j;
                    continue;
                }
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
