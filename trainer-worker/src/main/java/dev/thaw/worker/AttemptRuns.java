package dev.thaw.worker;

import dev.thaw.data.ThawPaths;
import dev.thaw.mlflow.TrackedExperiment;
import dev.thaw.mlflow.TrackedRun;
import dev.thaw.mlflow.Tracker;
import dev.thaw.protocol.Lease;
import dev.thaw.protocol.LeaseRequest;
import dev.thaw.protocol.MlflowTracking;
import dev.thaw.trial.TrialSpec;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The MLflow child runs of a worker's trial attempts, one per attempt, nested under the sweep's
 * parent run named in the lease ({@link Lease#mlflow()}), with the resolved hyperparameters as flat
 * params, per-epoch metrics (step = epoch), the attempt's tags, its final status and artifacts
 * ({@code trial.json} from the start, the best weights and {@code learning_curve.png} at the end):
 * a {@link AttemptRun}, named and filled by {@link TrialRunFields}.
 *
 * <p>One {@link Tracker} per tracking URI ({@link TrackerPool}), spooling in {@code
 * $THAW_CACHE/tracking-spool/<worker-id>/<server>}, so a restarted worker with the same id sends
 * what it left. Tracking never fails a trial: the tracker spools and retries, and a problem making
 * an artifact is logged. The end of a run (its tags, the learning-curve PNG, the artifacts copied
 * into the spool, its status) is done by one background thread, so the worker asks for its next
 * trial at once; {@link #close()} waits for those, then drains the spools as far as the server
 * allows.
 */
final class AttemptRuns implements AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger(AttemptRuns.class);

  private final LeaseRequest identity;
  private final TrackerPool trackers;
  // Runs the ends of runs one after another, in the order the attempts ended.
  private final ExecutorService finisher =
      Executors.newSingleThreadExecutor(
          r -> {
            Thread t = new Thread(r, "thaw-tracking-finisher");
            t.setDaemon(true);
            return t;
          });

  AttemptRuns(LeaseRequest identity, Path spoolRoot) {
    this.identity = identity;
    this.trackers = new TrackerPool(spoolRoot);
    trackers.resumeLeftovers();
  }

  /** {@code $THAW_CACHE/tracking-spool/<worker-id>}. */
  static Path defaultSpoolRoot(String workerId) {
    return ThawPaths.cacheDir()
        .resolve("tracking-spool")
        .resolve(workerId.replaceAll("[^A-Za-z0-9._-]", "_"));
  }

  /**
   * Starts the attempt's child run; an attempt that tracks nothing when the lease has no mlflow.
   */
  AttemptRun begin(Lease lease, TrialSpec spec) {
    MlflowTracking mlflow = lease.mlflow();
    if (mlflow == null || mlflow.trackingUri() == null || mlflow.trackingUri().isBlank()) {
      return AttemptRun.untracked(spec);
    }
    Tracker tracker;
    try {
      tracker = trackers.tracker(mlflow.trackingUri());
    } catch (IOException | IllegalArgumentException e) {
      LOG.warn(
          "trial {} attempt {} is not tracked: MLflow at {} unusable: {}",
          spec.id(),
          lease.attempt(),
          mlflow.trackingUri(),
          e.getMessage());
      return AttemptRun.untracked(spec);
    }
    TrackedRun parent = mlflow.parentRunId() == null ? null : tracker.attach(mlflow.parentRunId());
    Map<String, String> tags = new LinkedHashMap<>();
    tags.put("thaw.trial_id", lease.trialId());
    tags.put(
        "thaw.config_hash", lease.configHash() != null ? lease.configHash() : spec.configHash());
    tags.put("thaw.attempt", Integer.toString(lease.attempt()));
    tags.put(MlflowTracking.LEASE_ID_TAG, lease.leaseId());
    tags.put(MlflowTracking.SWEEP_ID_TAG, String.valueOf(lease.sweepId()));
    tags.put("thaw.worker_id", identity.workerId());
    tags.put("thaw.worker_host", identity.host());
    tags.put("thaw.device", identity.device());
    tags.put("thaw.source_model", spec.sourceModel());
    String experiment =
        mlflow.experiment() != null && !mlflow.experiment().isBlank()
            ? mlflow.experiment()
            : lease.sweepName();
    TrackedRun run =
        tracker.startRun(
            new TrackedExperiment(experiment), TrialRunFields.runName(spec), parent, tags);
    tracker.logParams(run, TrialRunFields.params(spec));
    uploadTrialJson(tracker, run, spec);
    return new AttemptRun(tracker, run, spec, finisher);
  }

  /**
   * Uploads the resolved trial as {@code trial.json} when the run starts: it can be read while the
   * trial trains, and the upload is out of the way before the end of the run.
   */
  private static void uploadTrialJson(Tracker tracker, TrackedRun run, TrialSpec spec) {
    try {
      Path file = Files.createTempFile("thaw-trial-", ".json");
      try {
        Files.writeString(file, spec.toJson());
        tracker.uploadArtifact(run, "trial.json", file);
      } finally {
        Files.deleteIfExists(file);
      }
    } catch (IOException | RuntimeException e) {
      LOG.warn("{}: trial.json not uploaded: {}", run, e.getMessage());
    }
  }

  /** Waits (up to a minute) for the runs still being ended, then closes the trackers. */
  @Override
  public synchronized void close() {
    finisher.shutdown();
    try {
      if (!finisher.awaitTermination(1, TimeUnit.MINUTES)) {
        LOG.warn("the ends of some MLflow runs were still being made after a minute; left");
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
    trackers.close();
  }
}
