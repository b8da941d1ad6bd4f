/**
 * MLflow tracking for Thaw: {@link dev.thaw.tracking.Tracker} sends experiments, nested runs,
 * params, metrics, tags, artifacts and run status to a real MLflow server through MLflow's Java
 * client, from a background thread and through an on-disk spool, so that training never waits for
 * the server and nothing is lost or sent twice when it is down; {@link
 * dev.thaw.tracking.LearningCurvePlot} draws a trial's learning curves as a PNG artifact.
 */
package dev.thaw.tracking;
