package dev.thaw.worker;

/** How a leased trial ended for this worker. */
public enum TrialOutcome {
  /** Trained to its end (or stopped early by its own early stopping); the result was delivered. */
  COMPLETED,
  /** Stopped by the orchestrator (pruned, cancelled); the partial result was delivered. */
  STOPPED,
  /** It could not run; the failure was reported, retryable or not. */
  FAILED,
  /** The lease was lost, or the report could not be delivered: nothing more to do with it. */
  DROPPED,
  /** The worker was stopped mid-trial and gave the trial back to be retried. */
  HANDED_BACK;

  /** True when the orchestrator received a result for the trial. */
  public boolean delivered() {
    return this == COMPLETED || this == STOPPED;
  }
}
