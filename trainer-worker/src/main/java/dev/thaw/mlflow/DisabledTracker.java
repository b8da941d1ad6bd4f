package dev.thaw.mlflow;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicBoolean;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** The tracker when no MLflow server is configured: records nothing. */
final class DisabledTracker implements Tracker {
  static final DisabledTracker INSTANCE = new DisabledTracker();
  private static final Logger LOG = LoggerFactory.getLogger(Tracker.class);
  private final AtomicBoolean announced = new AtomicBoolean();

  private DisabledTracker() {}

  DisabledTracker announce() {
    if (announced.compareAndSet(false, true)) {
      LOG.warn(
          "MLflow tracking is off: no tracking URI (set {} or mlflow.tracking_uri in the sweep"
              + " file); trials run, nothing is tracked",
          TrackerConfig.URI_ENV);
    }
    return this;
  }

  @Override
  public boolean enabled() {
    return false;
  }

  @Override
  public TrackedExperiment experiment(String name) {
    return new TrackedExperiment(name);
  }

  @Override
  public TrackedRun startRun(
      TrackedExperiment experiment, String runName, TrackedRun parent, Map<String, String> tags) {
    TrackedRun run = new TrackedRun("untracked-" + UUID.randomUUID(), runName);
    run.refused();
    return run;
  }

  @Override
  public TrackedRun attach(String serverRunId) {
    TrackedRun run = new TrackedRun("untracked-" + UUID.randomUUID(), serverRunId);
    run.bind(serverRunId);
    return run;
  }

  @Override
  public void logParams(TrackedRun run, Map<String, String> params) {}

  @Override
  public void logMetric(
      TrackedRun run, String key, double value, long step, long timestampMillis) {}

  @Override
  public void logMetrics(
      TrackedRun run, Map<String, Double> values, long step, long timestampMillis) {}

  @Override
  public void setTags(TrackedRun run, Map<String, String> tags) {}

  @Override
  public void uploadArtifact(TrackedRun run, String relativePath, Path file) {}

  @Override
  public List<FoundRun> searchRuns(TrackedExperiment experiment, String filter) {
    return List.of();
  }

  @Override
  public void endRun(TrackedRun run, RunStatus status) {}

  @Override
  public boolean flush(Duration timeout) {
    return true;
  }

  @Override
  public int pendingOperations() {
    return 0;
  }

  @Override
  public void close() {}
}
