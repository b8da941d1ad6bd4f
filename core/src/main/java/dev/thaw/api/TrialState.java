package dev.thaw.api;

import com.fasterxml.jackson.annotation.JsonValue;
import java.util.Locale;

/** Where a trial is in its life. */
public enum TrialState {
  /** Waiting for a worker (new, or back after an expired lease or a retryable failure). */
  QUEUED,
  /** Leased to a worker. */
  RUNNING,
  /** Trained to its end (or its own early stopping) and reported a result. */
  COMPLETED,
  /** Stopped early by the sweep's early-termination rule; its partial result is kept. */
  PRUNED,
  /** Failed for good: a non-retryable error, or retries spent. */
  FAILED,
  /** Never ran or was stopped because the sweep was cancelled or finished. */
  CANCELLED;

  /** The name in the API: lower case ({@code running}). */
  @JsonValue
  public String key() {
    return name().toLowerCase(Locale.ROOT);
  }

  public boolean ended() {
    return this != QUEUED && this != RUNNING;
  }
}
