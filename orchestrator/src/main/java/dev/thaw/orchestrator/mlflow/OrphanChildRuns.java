package dev.thaw.orchestrator.mlflow;

import dev.thaw.mlflow.FoundRun;
import dev.thaw.mlflow.TrackedExperiment;
import dev.thaw.mlflow.TrackedRun;
import dev.thaw.mlflow.Tracker;
import dev.thaw.protocol.MlflowTracking;
import java.io.IOException;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import org.jboss.logging.Logger;

/**
 * The chore of nesting a sweep's orphan child runs: those whose lease named no parent run because
 * the server had not created the sweep's parent run yet (it was down or slow at submit). Once the
 * parent has its id, every run of the sweep (tag {@link MlflowTracking#SWEEP_ID_TAG}) without
 * {@code mlflow.parentRunId} gets that tag, which is what the MLflow UI nests by. Done when as many
 * runs were nested as leases went out without a parent.
 */
final class OrphanChildRuns implements RunChores.Chore {
  private static final Logger LOG = Logger.getLogger(OrphanChildRuns.class);
  static final String PARENT_TAG = "mlflow.parentRunId";

  private final Tracker tracker;
  private final TrackedExperiment experiment;
  private final String sweepId;
  private final TrackedRun parent;
  private final AtomicInteger orphanLeases = new AtomicInteger();
  private final Set<String> nested = ConcurrentHashMap.newKeySet();

  OrphanChildRuns(
      Tracker tracker, TrackedExperiment experiment, String sweepId, TrackedRun parent) {
    this.tracker = tracker;
    this.experiment = experiment;
    this.sweepId = sweepId;
    this.parent = parent;
  }

  /** One more lease went out without a parent run id. */
  void leasedWithoutParent() {
    orphanLeases.incrementAndGet();
  }

  @Override
  public boolean attempt() throws IOException {
    Optional<String> parentId = parent.serverId();
    if (parentId.isEmpty()) {
      return false;
    }
    String filter =
        "tags.`" + MlflowTracking.SWEEP_ID_TAG + "` = '" + sweepId.replace("'", "") + "'";
    for (FoundRun run : tracker.searchRuns(experiment, filter)) {
      if (!run.id().equals(parentId.get()) && !run.tags().containsKey(PARENT_TAG)) {
        tracker.setTags(tracker.attach(run.id()), Map.of(PARENT_TAG, parentId.get()));
        nested.add(run.id());
        LOG.infof(
            "MLflow run %s nested under sweep %s's parent run %s",
            run.id(), sweepId, parentId.get());
      }
    }
    return nested.size() >= orphanLeases.get();
  }

  @Override
  public String toString() {
    return "nest the child runs of sweep " + sweepId + " under its parent run";
  }
}
