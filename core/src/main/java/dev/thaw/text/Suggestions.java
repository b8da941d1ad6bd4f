package dev.thaw.text;

import java.util.Collection;
import java.util.Comparator;
import java.util.Optional;
import org.apache.commons.text.similarity.LevenshteinDistance;

/** "Did you mean" for misspelled keys and names: within 2 edits, or a prefix either way. */
public final class Suggestions {
  private static final LevenshteinDistance LEVENSHTEIN = LevenshteinDistance.getDefaultInstance();

  private Suggestions() {}

  /** The closest known name to {@code typo}, if one is close enough. */
  public static Optional<String> closest(String typo, Collection<String> known) {
    return known.stream()
        .filter(k -> distance(typo, k) <= 2 || isPrefix(typo, k))
        .min(Comparator.comparingInt((String k) -> distance(typo, k)).thenComparing(k -> k));
  }

  /** {@code "; did you mean 'x'?"} or the empty string. */
  public static String didYouMean(String typo, Collection<String> known) {
    return closest(typo, known).map(k -> "; did you mean '" + k + "'?").orElse("");
  }

  private static boolean isPrefix(String a, String b) {
    return a.length() >= 3 && b.length() >= 3 && (a.startsWith(b) || b.startsWith(a));
  }

  private static int distance(String a, String b) {
    return LEVENSHTEIN.apply(a, b);
  }
}
