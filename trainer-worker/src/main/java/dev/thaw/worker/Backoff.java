package dev.thaw.worker;

import java.time.Duration;

/**
 * Capped exponential backoff: {@code initial}, then doubling up to {@code max}.
 *
 * @param initial the first delay, > 0
 * @param max the largest delay, >= initial
 */
public record Backoff(Duration initial, Duration max) {
  public Backoff {
    if (initial.isNegative() || initial.isZero() || max.compareTo(initial) < 0) {
      throw new IllegalArgumentException(
          "backoff needs 0 < initial <= max (got initial " + initial + ", max " + max + ")");
    }
  }

  /** The delay before retry number {@code attempt} (1 = the first retry). */
  public Duration delay(int attempt) {
    long initialMillis = initial.toMillis();
    int doublings = Math.min(Math.max(attempt - 1, 0), 30);
    long millis = Math.min(max.toMillis(), initialMillis << doublings);
    return Duration.ofMillis(millis);
  }
}
