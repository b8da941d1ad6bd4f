package dev.thaw.api;

import com.fasterxml.jackson.annotation.JsonValue;
import java.util.Locale;

/** What one firing of a schedule did. */
public enum FiringOutcome {
  /** It started a new execution (a new sweep). */
  STARTED,
  /**
   * It started nothing: the previous execution still ran (overlap: skip), or the schedule was
   * paused, or a queued firing already waited.
   */
  SKIPPED,
  /** It waits for the previous execution to end, then starts (overlap: queue). */
  QUEUED,
  /** Starting the execution failed; the message says why. */
  FAILED;

  /** The name in the API: lower case ({@code started}). */
  @JsonValue
  public String key() {
    return name().toLowerCase(Locale.ROOT);
  }

  /** Whether the firing is settled (everything but {@link #QUEUED}). */
  public boolean settled() {
    return this != QUEUED;
  }
}
