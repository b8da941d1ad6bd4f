package dev.thaw.sweep;

import java.util.Collection;
import java.util.Comparator;
import java.util.Optional;

/** "Did you mean" for misspelled keys and names: within 2 edits, or a prefix either way. */
final class Suggestions {
  private Suggestions() {}

  /** The closest known name to {@code typo}, if one is close enough. */
  static Optional<String> closest(String typo, Collection<String> known) {
    return known.stream()
        .filter(k -> distance(typo, k) <= 2 || isPrefix(typo, k))
        .min(Comparator.comparingInt((String k) -> distance(typo, k)).thenComparing(k -> k));
  }

  /** {@code "; did you mean 'x'?"} or the empty string. */
  static String didYouMean(String typo, Collection<String> known) {
    return closest(typo, known).map(k -> "; did you mean '" + k + "'?").orElse("");
  }

  private static boolean isPrefix(String a, String b) {
    return a.length() >= 3 && b.length() >= 3 && (a.startsWith(b) || b.startsWith(a));
  }

  /** Levenshtein distance. */
  static int distance(String a, String b) {
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
