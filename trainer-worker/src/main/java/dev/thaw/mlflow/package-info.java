/**
 * Thaw's MLflow client: {@link dev.thaw.mlflow.Tracker} sends experiments, nested runs, params,
 * metrics, tags, artifacts and run status to a real MLflow server through MLflow's Java client,
 * from a background thread and through an on-disk spool, so that training never waits for the
 * server and nothing is lost or sent twice when it is down. What a trial's run shows is the
 * worker's business ({@code dev.thaw.worker}); the sweep's parent run is the orchestrator's.
 */
package dev.thaw.mlflow;
