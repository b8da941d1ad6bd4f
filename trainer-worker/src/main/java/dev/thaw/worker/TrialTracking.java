package dev.thaw.worker;

import dev.thaw.data.ThawPaths;
import dev.thaw.tracking.LearningCurvePlot;
import dev.thaw.tracking.RunStatus;
import dev.thaw.tracking.TrackedExperiment;
import dev.thaw.tracking.TrackedRun;
import dev.thaw.tracking.Tracker;
import dev.thaw.tracking.TrackerConfig;
import dev.thaw.tracking.TrackingServer;
import dev.thaw.trial.BackboneLearningRates;
import dev.thaw.trial.EpochMetrics;
import dev.thaw.trial.TrialResult;
import dev.thaw.trial.TrialSpec;
import dev.thaw.worker.protocol.Lease;
import dev.thaw.worker.protocol.LeaseRequest;
import dev.thaw.worker.protocol.MlflowTracking;
import java.io.IOException;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.Executor;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A worker's MLflow tracking: one child run per trial attempt, nested under the sweep's parent run
 * named in the lease ({@link Lease#mlflow()}), with the resolved hyperparameters as flat params,
 * per-epoch metrics (step = epoch), the attempt's tags, its final status and artifacts ({@code
 * trial.json} from the start, the best weights and {@code learning_curve.png} at the end).
 *
 * <p>One {@link Tracker} per tracking URI, spooling in {@code
 * $THAW_CACHE/tracking-spool/<worker-id>/<server>}, so a restarted worker with the same id sends
 * what it left. Tracking never fails a trial: the tracker spools and retries, and a problem making
 * an artifact is logged. The end of a run (its tags, the learning-curve PNG, the artifacts copied
 * into the spool, its status) is done by one background thread, so the worker asks for its next
 * trial at once; {@link #close()} waits for those, then drains the spools as far as the server
 * allows.
 */
final class TrialTracking implements AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger(TrialTracking.class);

  private final LeaseRequest identity;
  private final Path spoolRoot;
  private final Map<String, Tracker> trackers = new LinkedHashMap<>();
  // Runs the ends of runs one after another, in the order the attempts ended.
  private final ExecutorService finisher =
      Executors.newSingleThreadExecutor(
          r -> {
            Thread t = new Thread(r, "thaw-tracking-finisher");
            t.setDaemon(true);
            return t;
          });

  TrialTracking(LeaseRequest identity, Path spoolRoot) {
    this.identity = identity;
    this.spoolRoot = spoolRoot;
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
  Attempt begin(Lease lease, TrialSpec spec) {
    MlflowTracking mlflow = lease.mlflow();
    if (mlflow == null || mlflow.trackingUri() == null || mlflow.trackingUri().isBlank()) {
      return new Attempt(null, null, spec, null);
    }
    Tracker tracker;
    try {
      tracker = tracker(mlflow.trackingUri());
    } catch (IOException | IllegalArgumentException e) {
      LOG.warn(
          "trial {} attempt {} is not tracked: MLflow at {} unusable: {}",
          spec.id(),
          lease.attempt(),
          mlflow.trackingUri(),
          e.getMessage());
      return new Attempt(null, null, spec, null);
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
        tracker.startRun(new TrackedExperiment(experiment), runName(spec), parent, tags);
    tracker.logParams(run, params(spec));
    uploadTrialJson(tracker, run, spec);
    return new Attempt(tracker, run, spec, finisher);
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

  /** {@code fd=2 lr_head=3e-3 bs=64 do=0.2}: the values one compares trials by. */
  static String runName(TrialSpec spec) {
    List<String> parts = new ArrayList<>();
    parts.add("fd=" + (spec.freezeDepth() == null ? "all" : spec.freezeDepth()));
    parts.add("lr_head=" + shortNumber(spec.learningRates().head()));
    if (spec.batchSize() != null) {
      parts.add("bs=" + spec.batchSize());
    }
    if (spec.dropout() != null) {
      parts.add("do=" + shortNumber(spec.dropout()));
    }
    return String.join(" ", parts);
  }

  /** Every resolved hyperparameter, flat, so MLflow's compare plots can use each one. */
  static Map<String, String> params(TrialSpec spec) {
    Map<String, String> p = new LinkedHashMap<>();
    p.put("source_model", spec.sourceModel());
    p.put("dataset", spec.target().dataset());
    put(p, "labels_per_class", spec.target().labelsPerClass());
    put(p, "data_fraction", spec.target().dataFraction());
    put(p, "validation_fraction", spec.target().validationFraction());
    p.put("freeze_depth", spec.freezeDepth() == null ? "all" : spec.freezeDepth().toString());
    put(p, "lr_head", spec.learningRates().head());
    switch (spec.learningRates().backbone()) {
      case BackboneLearningRates.Uniform u -> put(p, "lr_backbone", u.rate());
      case BackboneLearningRates.Slice s -> {
        put(p, "lr_backbone_lo", s.lo());
        put(p, "lr_backbone_hi", s.hi());
      }
      case BackboneLearningRates.PerGroup g -> {
        for (int i = 0; i < g.rates().size(); i++) {
          put(p, "lr_backbone_g" + i, g.rates().get(i));
        }
      }
      default -> p.put("lr_backbone", spec.learningRates().backbone().toString());
    }
    if (spec.optimizer() != null) {
      p.put("optimizer", spec.optimizer().name().key());
      put(p, "momentum", spec.optimizer().momentum());
      put(p, "weight_decay", spec.optimizer().weightDecay());
    }
    put(p, "batch_size", spec.batchSize());
    put(p, "dropout", spec.dropout());
    put(p, "epochs", spec.epochs());
    put(p, "warmup_epochs", spec.warmupEpochs());
    if (spec.earlyStopping() != null) {
      p.put("early_stopping_monitor", spec.earlyStopping().monitor().key());
      put(p, "early_stopping_patience", spec.earlyStopping().patience());
      put(p, "early_stopping_min_delta", spec.earlyStopping().minDelta());
    }
    put(p, "seed", spec.seed());
    put(p, "input_size", spec.inputSize());
    p.put("augmentation", spec.augmentationOrNone().key());
    p.put("batch_norm", spec.batchNormOrTrain().key());
    return p;
  }

  private static void put(Map<String, String> p, String key, Object value) {
    if (value != null) {
      p.put(key, value.toString());
    }
  }

  private static String shortNumber(Double value) {
    if (value == null) {
      return "-";
    }
    double v = value;
    if (v != 0 && (Math.abs(v) < 0.01 || Math.abs(v) >= 1e4)) {
      String s = String.format(Locale.ROOT, "%.0e", v);
      return s.replace("e-0", "e-").replace("e+0", "e").replace("e+", "e");
    }
    return String.format(Locale.ROOT, "%.3g", v).replaceAll("\\.?0+$", "");
  }

  private synchronized Tracker tracker(String uri) throws IOException {
    TrackerConfig base = TrackerConfig.of(uri);
    String key = base.trackingUri().toString();
    Tracker open = trackers.get(key);
    if (open == null) {
      String token =
          tokenFor(
              uri, System.getenv(TrackerConfig.URI_ENV), System.getenv(TrackerConfig.TOKEN_ENV));
      URI u = base.trackingUri();
      String server =
          (u.getHost() + "-" + u.getPort() + u.getPath()).replaceAll("[^A-Za-z0-9.-]", "_");
      open =
          Tracker.open(
              base.withToken(token == null || token.isBlank() ? null : token)
                  .withSpoolDir(spoolRoot.resolve(server)));
      trackers.put(key, open);
    }
    return open;
  }

  /**
   * The worker's MLflow token when {@code uri} is the server it was configured for ({@code
   * MLFLOW_TRACKING_URI}), else null: a sweep names its own server, and the token must not go to a
   * server it was not meant for.
   */
  static String tokenFor(String uri, String configuredUri, String token) {
    if (token == null || token.isBlank()) {
      return null;
    }
    if (configuredUri == null || configuredUri.isBlank()) {
      LOG.warn(
          "{} is set without {}: it is sent to no server (not to {})",
          TrackerConfig.TOKEN_ENV,
          TrackerConfig.URI_ENV,
          uri);
      return null;
    }
    if (!TrackingServer.of(uri).is(configuredUri)) {
      LOG.warn(
          "{} is not sent to {}: it is for {} ({})",
          TrackerConfig.TOKEN_ENV,
          uri,
          configuredUri,
          TrackerConfig.URI_ENV);
      return null;
    }
    return token;
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
    trackers.values().forEach(Tracker::close);
    trackers.clear();
  }

  /** One trial attempt's child run; does nothing when the attempt is not tracked. */
  static final class Attempt {
    private final Tracker tracker;
    private final TrackedRun run;
    private final TrialSpec spec;
    private final List<LearningCurvePlot.Epoch> curve = new ArrayList<>();
    private final Executor finisher;

    private Attempt(Tracker tracker, TrackedRun run, TrialSpec spec, Executor finisher) {
      this.tracker = tracker;
      this.run = run;
      this.spec = spec;
      this.finisher = finisher;
    }

    /** The child run, or null when not tracked. */
    TrackedRun run() {
      return run;
    }

    /** Logs one epoch's metrics at step = epoch. */
    void epoch(EpochMetrics m) {
      if (run == null) {
        return;
      }
      Map<String, Double> values = new LinkedHashMap<>();
      values.put("train_loss", m.trainLoss());
      values.put("val_loss", m.valLoss());
      values.put("val_accuracy", m.valAccuracy());
      values.put("epoch_seconds", m.epochSeconds());
      values.put("samples_per_second", m.samplesPerSecond());
      values.values().removeIf(v -> v.isNaN() || v.isInfinite());
      tracker.logMetrics(run, values, m.epoch(), System.currentTimeMillis());
      curve.add(
          new LearningCurvePlot.Epoch(m.epoch(), m.trainLoss(), m.valLoss(), m.valAccuracy()));
    }

    /**
     * Ends the run as the attempt ended: FINISHED when completed, KILLED when stopped on purpose
     * (tag {@code thaw.pruned=true} when pruned), FAILED otherwise; uploads the artifacts. Done on
     * the finisher thread: returns at once.
     *
     * @param result the trial's result, or null
     * @param detail why it stopped or failed, or null
     */
    void end(TrialOutcome outcome, TrialResult result, String detail) {
      if (run == null) {
        return;
      }
      try {
        finisher.execute(() -> finish(outcome, result, detail));
      } catch (RejectedExecutionException e) {
        finish(outcome, result, detail); // tracking is closing: end the run here
      }
    }

    private void finish(TrialOutcome outcome, TrialResult result, String detail) {
      Map<String, String> tags = new LinkedHashMap<>();
      tags.put("thaw.outcome", outcome.name().toLowerCase(Locale.ROOT));
      if (detail != null) {
        tags.put("thaw.stop_reason", detail.length() > 5000 ? detail.substring(0, 5000) : detail);
      }
      if (outcome == TrialOutcome.STOPPED && "pruned".equals(detail)) {
        tags.put("thaw.pruned", "true");
      }
      tracker.setTags(run, tags);
      if (result != null && result.groupLearningRates() != null) {
        Map<String, String> groups = new LinkedHashMap<>();
        for (int i = 0; i < result.groupLearningRates().size(); i++) {
          groups.put("lr_backbone_g" + i, result.groupLearningRates().get(i).toString());
        }
        if (!(spec.learningRates().backbone() instanceof BackboneLearningRates.PerGroup)) {
          tracker.logParams(run, groups);
        }
      }
      uploadArtifacts(result);
      tracker.endRun(
          run,
          switch (outcome) {
            case COMPLETED -> RunStatus.FINISHED;
            case STOPPED, HANDED_BACK -> RunStatus.KILLED;
            case FAILED, DROPPED -> RunStatus.FAILED;
          });
    }

    private void uploadArtifacts(TrialResult result) {
      try {
        Path dir = Files.createTempDirectory("thaw-tracking");
        try {
          if (!curve.isEmpty()) {
            Path png = dir.resolve("learning_curve.png");
            LearningCurvePlot.write(run.runName(), curve, png);
            tracker.uploadArtifact(run, "learning_curve.png", png);
          }
          if (result != null && result.bestWeights() != null) {
            Path weights = Path.of(result.bestWeights());
            if (Files.isRegularFile(weights)) {
              tracker.uploadArtifact(run, "weights/" + weights.getFileName(), weights);
            }
          }
        } finally {
          try (var files = Files.list(dir)) {
            for (Path f : files.toList()) {
              Files.deleteIfExists(f);
            }
          }
          Files.deleteIfExists(dir);
        }
      } catch (IOException | RuntimeException e) {
        LOG.warn("{}: artifacts not uploaded: {}", run, e.getMessage());
      }
    }
  }
}
