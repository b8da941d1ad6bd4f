package dev.thaw.protocol;

/**
 * Where a trial attempt is tracked in MLflow: the worker logs a child run under the sweep's parent
 * run. Sent with a {@link Lease}; the lease has none when the orchestrator tracks nothing.
 *
 * @param trackingUri the MLflow server, e.g. {@code http://127.0.0.1:5000}
 * @param experiment the MLflow experiment of the sweep
 * @param parentRunId the server's id of the sweep's parent run, or null while the orchestrator has
 *     not heard it from the server yet (the child then starts as a top-level run, and the
 *     orchestrator nests it under the parent later, by its {@link #SWEEP_ID_TAG} tag)
 */
public record MlflowTracking(String trackingUri, String experiment, String parentRunId) {
  /** The tag with the sweep id, on the parent run and on every child run. */
  public static final String SWEEP_ID_TAG = "thaw.sweep_id";

  /**
   * The tag with the attempt's lease id on each child run; the orchestrator finds the run of a lost
   * attempt by it, to mark it FAILED.
   */
  public static final String LEASE_ID_TAG = "thaw.lease_id";
}
