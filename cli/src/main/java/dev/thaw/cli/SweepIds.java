package dev.thaw.cli;

import dev.thaw.api.SweepSummary;
import java.net.URI;
import java.util.List;
import java.util.stream.Collectors;

/** Finds the sweep a user means by the start of its id. */
final class SweepIds {
  /** How many characters of an id tables show; usually enough to be unique. */
  static final int SHORT = 8;

  private SweepIds() {}

  /**
   * The id of the one sweep whose id is or starts with {@code prefix}.
   *
   * @param where the orchestrator, for the error messages
   * @throws IllegalArgumentException when no sweep or more than one matches
   */
  static String resolve(String prefix, List<SweepSummary> sweeps, URI where) {
    String p = prefix.strip();
    if (p.isEmpty()) {
      throw new IllegalArgumentException("sweep id must not be empty");
    }
    for (SweepSummary s : sweeps) {
      if (s.id().equals(p)) {
        return s.id();
      }
    }
    List<SweepSummary> matches = sweeps.stream().filter(s -> s.id().startsWith(p)).toList();
    if (matches.size() == 1) {
      return matches.get(0).id();
    }
    if (matches.isEmpty()) {
      return fail(
          "no sweep id starts with '"
              + p
              + "' at "
              + where
              + " ("
              + sweeps.size()
              + (sweeps.size() == 1 ? " sweep" : " sweeps")
              + "; 'thaw sweep status' lists them)");
    }
    return fail(
        "sweep id '"
            + p
            + "' is ambiguous: "
            + matches.size()
            + " sweeps match ("
            + matches.stream()
                .limit(5)
                .map(s -> s.id() + " " + s.name())
                .collect(Collectors.joining(", "))
            + (matches.size() > 5 ? ", ..." : "")
            + "); give more of the id");
  }

  static String shortId(String id) {
    return id.length() <= SHORT ? id : id.substring(0, SHORT);
  }

  private static String fail(String message) {
    throw new IllegalArgumentException(message);
  }
}
