package dev.thaw.worker;

import dev.thaw.mlflow.RunStatus;
import dev.thaw.mlflow.TrackedRun;
import dev.thaw.mlflow.Tracker;
import dev.thaw.protocol.StopRequest;
import dev.thaw.train.features.FeatureCacheStats;
import dev.thaw.trial.BackboneLearningRates;
import dev.thaw.trial.EpochMetrics;
import dev.thaw.trial.TrialResult;
import dev.thaw.trial.TrialSpec;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.Executor;
import java.util.concurrent.RejectedExecutionException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One trial attempt's MLflow child run, from its first epoch to its end; does nothing when the
 * attempt is not tracked. Started by {@link AttemptRuns#begin}.
 */
final class AttemptRun {
  // Logs as AttemptRuns, so a worker's MLflow lines share one logger.
  private static final Logger LOG = LoggerFactory.getLogger(AttemptRuns.class);

  private final Tracker tracker;
  private final TrackedRun run;
  private final TrialSpec spec;
  private final List<LearningCurvePlot.Epoch> curve = new ArrayList<>();
  private final Executor finisher;
  private volatile FeatureCacheStats featureCache;

  /**
   * @param finisher where the end of the run is done
   */
  AttemptRun(Tracker tracker, TrackedRun run, TrialSpec spec, Executor finisher) {
    this.tracker = tracker;
    this.run = run;
    this.spec = spec;
    this.finisher = finisher;
  }

  /** An attempt that tracks nothing. */
  static AttemptRun untracked(TrialSpec spec) {
    return new AttemptRun(null, null, spec, null);
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
    tracker.logMetrics(run, TrialRunFields.metrics(m), m.epoch(), System.currentTimeMillis());
    curve.add(new LearningCurvePlot.Epoch(m.epoch(), m.trainLoss(), m.valLoss(), m.valAccuracy()));
  }

  /** Remembers what the feature cache did, for the run's tags at its end. */
  void featureCache(FeatureCacheStats stats) {
    this.featureCache = stats;
  }

  /**
   * Ends the run as the attempt ended: FINISHED when completed, KILLED when stopped on purpose (tag
   * {@code thaw.pruned=true} when pruned), FAILED otherwise; uploads the artifacts. Done on the
   * finisher thread: returns at once.
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
    if (outcome == TrialOutcome.STOPPED && StopRequest.PRUNED.key().equals(detail)) {
      tags.put("thaw.pruned", "true");
    }
    tags.putAll(TrialRunFields.featureCacheTags(featureCache));
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
