/**
 * The orchestrator's side of MLflow ({@code thaw.mlflow.*}): a sweep's parent run ({@link
 * dev.thaw.orchestrator.mlflow.SweepRuns}), the chores that end a lost attempt's child run or nest
 * an orphan one once the server answers ({@link dev.thaw.orchestrator.mlflow.RunChores}), and the
 * servers a sweep file may name ({@link dev.thaw.orchestrator.mlflow.TrackingServers}). The client
 * itself is {@code dev.thaw.mlflow}; a trial attempt's child run is the worker's.
 */
package dev.thaw.orchestrator.mlflow;
