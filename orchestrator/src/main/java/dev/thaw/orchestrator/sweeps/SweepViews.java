package dev.thaw.orchestrator.sweeps;

import com.fasterxml.jackson.databind.JsonNode;
import dev.thaw.api.Leaderboard;
import dev.thaw.api.Objective;
import dev.thaw.api.SweepDetail;
import dev.thaw.api.SweepSummary;
import dev.thaw.api.TrialState;
import dev.thaw.api.TrialView;
import dev.thaw.json.ThawJson;
import dev.thaw.orchestrator.store.SweepRecord;
import dev.thaw.orchestrator.store.TrialRecord;
import java.io.IOException;
import java.time.Instant;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** Builds what the REST API shows ({@link dev.thaw.api}) from stored sweeps and trials. */
public final class SweepViews {
  private SweepViews() {}

  public static SweepSummary summary(SweepRecord s, List<TrialRecord> trials) {
    Map<String, Integer> counts = new LinkedHashMap<>();
    for (TrialState st : TrialState.values()) {
      counts.put(st.key(), (int) trials.stream().filter(t -> t.state() == st).count());
    }
    List<TrialRecord> ranked = ranked(s, trials);
    return new SweepSummary(
        s.id(),
        s.name(),
        s.state(),
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
        t.state(),
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
  public static List<TrialRecord> ranked(SweepRecord s, List<TrialRecord> trials) {
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

  /** An ISO-8601 instant, or null. */
  public static String time(Long epochMillis) {
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
