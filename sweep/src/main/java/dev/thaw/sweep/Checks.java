package dev.thaw.sweep;

import java.util.ArrayList;
import java.util.List;

/** The semantic problems of a typed sweep, each with its path (placed in the file later). */
final class Checks {
  final List<SweepError> errors = new ArrayList<>();

  void add(String path, String message) {
    errors.add(SweepError.at(path, message));
  }

  void atLeast(String path, int value, int min) {
    if (value < min) {
      add(path, "must be >= " + min + " (got " + value + ")");
    }
  }

  /** Whether no error so far lies at or below {@code prefix}. */
  boolean none(String prefix) {
    return errors.stream().noneMatch(e -> e.path().startsWith(prefix));
  }

  /** How many errors so far; compare before and after a check to see whether it found any. */
  int count() {
    return errors.size();
  }
}
