package dev.thaw.orchestrator.sweeps;

import com.fasterxml.jackson.databind.JsonNode;
import dev.thaw.json.ThawJson;
import dev.thaw.orchestrator.store.SweepRecord;
import dev.thaw.orchestrator.store.TrialRecord;
import dev.thaw.orchestrator.store.TrialState;
import java.io.IOException;
import java.time.Instant;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;

/** What the REST API shows of sweeps and trials (snake_case JSON). */
public final class SweepViews {
  private SweepViews() {}

  /**
   * A sweep with its trial counts and best trial.
   *
   * @param counts trials by state (lower-case keys)
   * @param best the best trial so far by the objective, or null
   */
  public record SweepSummary(
      String id,
      String name,
      String state,
      String method,
      Objective objective,
      int maxTrials,
      int parallelTrials,
      int maxFailedTrials,
      int retries,
      Map<String, Integer> counts,
      TrialView best,
      String createdAt,
      String finishedAt,
      String stopReason) {}

  /** The sweep's objective. */
  public record Objective(String metric, String goal, Double target) {}

  /**
   * One trial.
   *
   * @param params the trial's configuration (searched and fixed values)
   * @param objective best value of the sweep's metric so far, or null
   */
  public record TrialView(
      String id,
      int number,
      String state,
      int attempts,
      String configHash,
      Integer gridIndex,
      JsonNode params,
      Double objective,
      Integer bestEpoch,
      int epochsDone,
      String reason,
      String startedAt,
      String finishedAt) {}

  /** A sweep and every trial, in creation order. */
  public record SweepDetail(SweepSummary sweep, List<TrialView> trials) {}

  /** Trials ranked by the objective, best first (trials without a value are left out). */
  public record Leaderboard(String sweepId, String metric, String goal, List<TrialView> trials) {}

  public static SweepSummary summary(SweepRecord s, List<TrialRecord> trials) {
    Map<String, Integer> counts =
        java.util.Arrays.stream(TrialState.values())
            .collect(
                Collectors.toMap(
                    st -> st.name().toLowerCase(),
                    st -> (int) trials.stream().filter(t -> t.state() == st).count(),
                    (a, b) -> a,
                    java.util.LinkedHashMap::new));
    List<TrialRecord> ranked = ranked(s, trials);
    return new SweepSummary(
        s.id(),
        s.name(),
        s.state().name().toLowerCase(),
        s.method(),
        new Objective(
            s.objectiveMetric(), s.maximize() ? "maximize" : "minimize", s.objectiveTarget()),
        s.maxTrials(),
        s.parallelTrials(),
        s.maxFailedTrials(),
        s.retries(),
        counts,
        ranked.isEmpty() ? null : trial(ranked.get(0)),
        time(s.createdAt()),
        time(s.finishedAt()),
        s.stopReason());
  }

  public static TrialView trial(TrialRecord t) {
    return new TrialView(
        t.id(),
        t.number(),
        t.state().name().toLowerCase(),
        t.attempts(),
        t.configHash(),
        t.gridIndex(),
        json(t.paramsJson()),
        t.objective(),
        t.bestEpoch(),
        t.epochsDone(),
        t.reason(),
        time(t.startedAt()),
        time(t.finishedAt()));
  }

  public static SweepDetail detail(SweepRecord s, List<TrialRecord> trials) {
    return new SweepDetail(summary(s, trials), trials.stream().map(SweepViews::trial).toList());
  }

  public static Leaderboard leaderboard(SweepRecord s, List<TrialRecord> trials, int limit) {
    return new Leaderboard(
        s.id(),
        s.objectiveMetric(),
        s.maximize() ? "maximize" : "minimize",
        ranked(s, trials).stream().limit(limit).map(SweepViews::trial).toList());
  }

  /**
   * Trials with an objective, best first; completed trials rank before pruned and cancelled ones
   * with the same value, then by number.
   */
  static List<TrialRecord> ranked(SweepRecord s, List<TrialRecord> trials) {
    Comparator<TrialRecord> byObjective =
        Comparator.comparingDouble(t -> Objectives.oriented(t.objective(), s.maximize()));
    return trials.stream()
        .filter(t -> t.objective() != null && t.state() != TrialState.FAILED)
        .sorted(
            byObjective
                .reversed()
                .thenComparing(t -> t.state() != TrialState.COMPLETED)
                .thenComparingInt(TrialRecord::number))
        .toList();
  }

  private static String time(Long epochMillis) {
    return epochMillis == null ? null : Instant.ofEpochMilli(epochMillis).toString();
  }

  private static JsonNode json(String text) {
    try {
      return ThawJson.mapper().readTree(text);
    } catch (IOException e) {
      throw new IllegalStateException("stored JSON is broken: " + text, e);
    }
  }
}
