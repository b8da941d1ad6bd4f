package dev.thaw.orchestrator.store;

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

  public boolean ended() {
    return this != RUNNING;
  }
}
