package dev.thaw.api;

import java.util.List;

/** Trials ranked by the objective, best first (trials without a value are left out). */
public record Leaderboard(String sweepId, String metric, String goal, List<TrialView> trials) {
  public Leaderboard {
    trials = trials == null ? List.of() : List.copyOf(trials);
  }
}
