package dev.thaw.api;

import com.fasterxml.jackson.annotation.JsonValue;
import java.util.Locale;

/** Where a sweep is in its life. */
public enum SweepState {
  /** Trials are queued or running, or more will be proposed. */
  RUNNING,
  /** Every trial ended, or the objective's target was reached. */
  COMPLETED,
  /** {@code max_failed_trials} trials failed. */
  FAILED,
  /** Cancelled by a user. */
  CANCELLED;

  /** The name in the API: lower case ({@code running}). */
  @JsonValue
  public String key() {
    return name().toLowerCase(Locale.ROOT);
  }

  public boolean ended() {
    return this != RUNNING;
  }
}
