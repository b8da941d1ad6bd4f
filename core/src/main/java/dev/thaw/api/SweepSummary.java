package dev.thaw.api;

import java.util.Map;

/**
 * A sweep with its trial counts and best trial so far.
 *
 * @param counts trials by state, keyed by {@link TrialState#key()}
 * @param best the best trial by the objective, or null
 * @param createdAt ISO-8601
 * @param finishedAt ISO-8601, or null while it runs
 * @param stopReason why the sweep ended, or null while it runs
 */
public record SweepSummary(
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
  public SweepSummary {
    counts = counts == null ? Map.of() : Map.copyOf(counts);
  }

  /** Trials in {@code state}. */
  public int count(TrialState state) {
    return counts.getOrDefault(state.key(), 0);
  }

  /** Trials that ended, whatever the way. */
  public int ended() {
    int n = 0;
    for (TrialState s : TrialState.values()) {
      n += s.ended() ? count(s) : 0;
    }
    return n;
  }
}
