package dev.thaw.orchestrator.mlflow;

import dev.thaw.mlflow.FoundRun;
import dev.thaw.mlflow.RunStatus;
import dev.thaw.mlflow.TrackedExperiment;
import dev.thaw.mlflow.TrackedRun;
import dev.thaw.mlflow.Tracker;
import dev.thaw.protocol.MlflowTracking;
import java.io.IOException;
import java.util.List;
import java.util.Map;
import org.jboss.logging.Logger;

/**
 * The chore of marking a lost attempt's child run FAILED: the run a worker started and never ended
 * because the worker died (its lease expired). Found by its {@link MlflowTracking#LEASE_ID_TAG}
 * tag; ended FAILED with tags {@code thaw.outcome=lost} and {@code thaw.stop_reason} when it is
 * still running. Not done while the run is not on the server (the worker's spool may still send it,
 * or the server is down).
 */
final class LostAttemptRun implements RunChores.Chore {
  private static final Logger LOG = Logger.getLogger(LostAttemptRun.class);

  private final Tracker tracker;
  private final TrackedExperiment experiment;
  private final String leaseId;
  private final String reason;

  LostAttemptRun(Tracker tracker, TrackedExperiment experiment, String leaseId, String reason) {
    this.tracker = tracker;
    this.experiment = experiment;
    this.leaseId = leaseId;
    this.reason = reason;
  }

  /** The search filter for the child run of a lease. */
  static String byLease(String leaseId) {
    return "tags.`" + MlflowTracking.LEASE_ID_TAG + "` = '" + leaseId.replace("'", "") + "'";
  }

  @Override
  public boolean attempt() throws IOException {
    List<FoundRun> runs = tracker.searchRuns(experiment, byLease(leaseId));
    for (FoundRun found : runs) {
      if (found.active()) {
        TrackedRun run = tracker.attach(found.id());
        tracker.setTags(run, Map.of("thaw.outcome", "lost", "thaw.stop_reason", reason));
        tracker.endRun(run, RunStatus.FAILED);
        LOG.infof("MLflow run %s of lost lease %s marked FAILED (%s)", found.id(), leaseId, reason);
      }
    }
    return !runs.isEmpty();
  }

  @Override
  public String toString() {
    return "mark the MLflow run of lost lease " + leaseId + " FAILED";
  }
}
