package dev.thaw.cli;

import com.fasterxml.jackson.annotation.JsonValue;
import com.fasterxml.jackson.databind.JsonNode;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * What the CLI reads from the orchestrator's sweep API: records mirroring the orchestrator's {@code
 * SweepViews} (snake_case JSON), with the states as enums.
 */
final class OrchestratorViews {
  private OrchestratorViews() {}

  /** Where a sweep is in its life. */
  enum SweepState {
    RUNNING,
    COMPLETED,
    FAILED,
    CANCELLED;

    @JsonValue
    String key() {
      return name().toLowerCase(Locale.ROOT);
    }

    boolean ended() {
      return this != RUNNING;
    }
  }

  /** Where a trial is in its life; the order is the order of the counts in the progress line. */
  enum TrialState {
    QUEUED,
    RUNNING,
    COMPLETED,
    PRUNED,
    FAILED,
    CANCELLED;

    @JsonValue
    String key() {
      return name().toLowerCase(Locale.ROOT);
    }

    boolean ended() {
      return this != QUEUED && this != RUNNING;
    }
  }

  /**
   * A sweep with its trial counts and best trial so far.
   *
   * @param counts trials by state, keyed by {@link TrialState#key()}
   * @param best the best trial by the objective, or null
   * @param stopReason why the sweep ended, or null while it runs
   */
  record SweepSummary(
      String id,
      String name,
      SweepState state,
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
      String stopReason) {
    SweepSummary {
      counts = counts == null ? Map.of() : Map.copyOf(counts);
    }

    int count(TrialState state) {
      return counts.getOrDefault(state.key(), 0);
    }

    /** Trials that ended, whatever the way. */
    int ended() {
      int n = 0;
      for (TrialState s : TrialState.values()) {
        n += s.ended() ? count(s) : 0;
      }
      return n;
    }
  }

  /** The sweep's objective; {@code target} is null when the sweep has none. */
  record Objective(String metric, String goal, Double target) {}

  /**
   * One trial.
   *
   * @param params the trial's configuration: a value per dimension path, searched and fixed
   * @param objective best value of the sweep's metric so far, or null
   */
  record TrialView(
      String id,
      int number,
      TrialState state,
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
  record SweepDetail(SweepSummary sweep, List<TrialView> trials) {
    SweepDetail {
      trials = trials == null ? List.of() : List.copyOf(trials);
    }
  }

  /** Trials ranked by the objective, best first. */
  record Leaderboard(String sweepId, String metric, String goal, List<TrialView> trials) {
    Leaderboard {
      trials = trials == null ? List.of() : List.copyOf(trials);
    }
  }
}
