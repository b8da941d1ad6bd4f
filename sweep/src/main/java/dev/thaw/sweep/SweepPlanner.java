package dev.thaw.sweep;

import dev.thaw.sweep.search.GridSearch;
import dev.thaw.sweep.search.Proposals;
import dev.thaw.sweep.search.SearchMethod;
import dev.thaw.sweep.search.SearchStrategy;
import dev.thaw.sweep.search.TpeSearch;
import dev.thaw.sweep.space.Point;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;

/**
 * The trials a sweep starts with before any result is in: what {@code thaw plan} prints and what
 * the orchestrator queues first. Deterministic: the same file gives the same plan everywhere.
 */
public final class SweepPlanner {
  private SweepPlanner() {}

  /**
   * One trial of a plan.
   *
   * @param number position in the plan, 0-based
   * @param proposalIndex the strategy's proposal index (duplicates skipped make it run ahead of
   *     {@code number})
   * @param gridIndex the point's index in the Cartesian product (grid search), or null
   * @param point the configuration
   * @param seed the trial's training seed: sweep seed + proposal index
   */
  public record PlannedTrial(
      int number, int proposalIndex, Integer gridIndex, Point point, long seed) {
    /** The configuration hash, the trial's identity. */
    public String hash() {
      return point.hash();
    }
  }

  /**
   * A sweep's opening trials.
   *
   * @param trials the trials known before any result
   * @param maxTrials the sweep's trial budget
   * @param note why fewer than {@code maxTrials} are listed, or null
   */
  public record Plan(List<PlannedTrial> trials, int maxTrials, String note) {}

  /**
   * Plans a valid sweep.
   *
   * @throws IllegalArgumentException if the search space cannot be searched by the method (the
   *     validator reports such files first)
   */
  public static Plan plan(SweepSpec sweep) {
    SearchStrategy strategy = sweep.method().strategy(sweep.searchSpace(), sweep.seed());
    int budget = sweep.maxTrials();
    int known = budget;
    String note = null;
    if (strategy instanceof TpeSearch tpe && tpe.startupTrials() < budget) {
      known = tpe.startupTrials();
      note =
          "tpe proposes the first "
              + known
              + " trials at random; the other "
              + (budget - known)
              + " are chosen from their results as they finish";
    }
    int attempts = Math.max(1_000, 20 * known);
    List<Proposals.Proposal> proposals =
        Proposals.nextIndexed(strategy, 0, known, Set.of(), List.of(), attempts);
    if (proposals.size() < known && note == null) {
      note =
          strategy instanceof GridSearch
              ? "the grid has only " + proposals.size() + " points"
              : "only "
                  + proposals.size()
                  + " distinct configurations found in "
                  + attempts
                  + " proposals; the space is smaller than max_trials";
    }
    List<PlannedTrial> trials = new ArrayList<>();
    for (Proposals.Proposal p : proposals) {
      Integer grid =
          sweep.method() == SearchMethod.GRID ? ((GridSearch) strategy).gridIndex(p.index()) : null;
      trials.add(
          new PlannedTrial(trials.size(), p.index(), grid, p.point(), sweep.seed() + p.index()));
    }
    return new Plan(List.copyOf(trials), budget, note);
  }
}
