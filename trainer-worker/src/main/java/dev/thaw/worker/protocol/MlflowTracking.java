package dev.thaw.worker.protocol;

/**
 * Where a trial attempt is tracked in MLflow: the worker logs a child run under the sweep's parent
 * run. Sent with a {@link Lease}; the lease has none when the orchestrator tracks nothing.
 *
 * @param trackingUri the MLflow server, e.g. {@code http://127.0.0.1:5000}
 * @param experiment the MLflow experiment of the sweep
 * @param parentRunId the server's id of the sweep's parent run, or null while the orchestrator has
 *     not heard it from the server yet (the child is then a top-level run)
 */
public record MlflowTracking(String trackingUri, String experiment, String parentRunId) {}
