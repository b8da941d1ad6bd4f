package dev.thaw.orchestrator.sweeps;

import dev.thaw.api.TrialState;
import dev.thaw.mlflow.FoundRun;
import dev.thaw.mlflow.Tracker;
import dev.thaw.orchestrator.mlflow.SweepRuns;
import dev.thaw.orchestrator.mlflow.Trackers;
import dev.thaw.orchestrator.store.MetricRepository;
import dev.thaw.orchestrator.store.SweepRecord;
import dev.thaw.orchestrator.store.TrialRecord;
import dev.thaw.orchestrator.store.TrialRepository;
import dev.thaw.sweep.SweepSpec;
import dev.thaw.trial.EpochMetrics;
import jakarta.enterprise.context.ApplicationScoped;
import java.io.IOException;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * What the live sweep page reads beyond the sweep and its trials: each trial's learning curves (the
 * epochs of its current attempt), and where a trial's MLflow run is.
 */
@ApplicationScoped
public class SweepProgress {
  /** The most trials one curves answer holds. */
  public static final int MAX_CURVES = 500;

  /**
   * One trial's learning curves.
   *
   * @param number the trial's number in its sweep
   * @param state where it is
   * @param epochs the epochs of its current attempt, in order
   */
  public record TrialCurves(int number, TrialState state, List<EpochMetrics> epochs) {}

  /**
   * A trial's MLflow run.
   *
   * @param runId the run's id on the server
   * @param url the run's page in the MLflow UI
   */
  public record MlflowRunLink(String runId, String url) {}

  private final TrialRepository trials;
  private final MetricRepository metrics;
  private final SweepRuns sweepRuns;
  private final Trackers trackers;

  SweepProgress(
      TrialRepository trials, MetricRepository metrics, SweepRuns sweepRuns, Trackers trackers) {
    this.trials = trials;
    this.metrics = metrics;
    this.sweepRuns = sweepRuns;
    this.trackers = trackers;
  }

  /** The curves of the sweep's latest {@code limit} trials by number (in a transaction). */
  List<TrialCurves> curves(String sweepId, int limit) {
    List<TrialRecord> latest = trials.latestOfSweep(sweepId, Math.min(limit, MAX_CURVES));
    if (latest.isEmpty()) {
      return List.of();
    }
    Map<String, List<EpochMetrics>> epochs =
        metrics.currentOfSweep(sweepId, latest.get(0).number());
    return latest.stream()
        .map(t -> new TrialCurves(t.number(), t.state(), epochs.getOrDefault(t.id(), List.of())))
        .toList();
  }

  /**
   * The MLflow run of the trial's latest attempt, looked up on the sweep's server by its {@code
   * thaw.trial_id} tag; empty when the sweep is not tracked or no run is there (yet).
   *
   * @throws IOException when the server cannot be asked
   */
  Optional<MlflowRunLink> mlflowRun(SweepRecord sweep, SweepSpec spec, TrialRecord trial)
      throws IOException {
    Optional<String> uri = sweepRuns.trackingUri(spec);
    if (uri.isEmpty()) {
      return Optional.empty();
    }
    Tracker tracker = trackers.forUri(uri.get());
    List<FoundRun> runs =
        tracker.searchRuns(
            tracker.experiment(SweepRuns.experiment(spec)),
            "tags.`thaw.trial_id` = '" + trial.id() + "'");
    String base = uri.get().endsWith("/") ? uri.get() : uri.get() + "/";
    return runs.stream()
        .max(Comparator.comparingInt(r -> attempt(r.tags().get("thaw.attempt"))))
        .map(r -> new MlflowRunLink(r.id(), base + "#/runs/" + r.id()));
  }

  private static int attempt(String text) {
    try {
      return text == null ? 0 : Integer.parseInt(text);
    } catch (NumberFormatException e) {
      return 0;
    }
  }
}
