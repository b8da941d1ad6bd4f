package dev.thaw.sweep.termination;

import java.util.Collection;

/**
 * The median stopping rule (Golovin et al. 2017, Google Vizier; Optuna's {@code MedianPruner}).
 *
 * <p>A running trial that has just finished epoch {@code e} is stopped when all of these hold:
 *
 * <ul>
 *   <li>{@code e > warmupEpochs};
 *   <li>at least {@code minTrials} other trials are COMPLETED and reached epoch {@code e} (running
 *       and pruned trials never count: their curves are unfinished or known to be bad);
 *   <li>the trial's best value over epochs 1..e is strictly below the median of those completed
 *       trials' best values over epochs 1..e (ties continue).
 * </ul>
 *
 * <p>"Best so far" on both sides, where Vizier uses the completed trials' running averages and
 * Optuna their value at epoch {@code e}: comparing like with like keeps the rule from punishing a
 * trial for one noisy epoch or for a slow start that a running average would remember, and it
 * guarantees that the trial with the best value so far is never stopped. NaN values count as the
 * worst; a trial whose every epoch is NaN is stopped as soon as the rule acts.
 *
 * @param minTrials completed trials needed at an epoch before the rule acts there, >= 1
 * @param warmupEpochs epochs every trial runs before it can be stopped, >= 0
 */
public record MedianStoppingRule(int minTrials, int warmupEpochs) implements TerminationRule {
  public MedianStoppingRule {
    if (minTrials < 1) {
      throw new IllegalArgumentException("median: min_trials must be >= 1 (got " + minTrials + ")");
    }
    if (warmupEpochs < 0) {
      throw new IllegalArgumentException(
          "median: warmup_epochs must be >= 0 (got " + warmupEpochs + ")");
    }
  }

  @Override
  public Decision decide(TrialProgress trial, Collection<TrialProgress> sweepTrials) {
    int e = trial.epochs();
    if (trial.state() != TrialProgress.State.RUNNING) {
      return Decision.proceed("median: trial is " + trial.state() + ", not running");
    }
    if (e <= warmupEpochs) {
      return Decision.proceed(
          "median: epoch "
              + e
              + " is within the warm-up of "
              + warmupEpochs
              + (warmupEpochs == 1 ? " epoch" : " epochs"));
    }
    double[] completedBests =
        sweepTrials.stream()
            .filter(t -> !t.id().equals(trial.id()))
            .filter(t -> t.state() == TrialProgress.State.COMPLETED && t.reached(e))
            .mapToDouble(t -> t.bestUpTo(e))
            .toArray();
    int n = completedBests.length;
    if (n < minTrials) {
      return Decision.proceed(
          "median: "
              + n
              + " completed trials reached epoch "
              + e
              + ", the rule needs "
              + minTrials);
    }
    double best = trial.bestUpTo(e);
    double median = ObjectiveValues.median(completedBests);
    boolean below = ObjectiveValues.rank(best) < median;
    return new Decision(
        below,
        "median: best "
            + ObjectiveValues.format(best)
            + " after epoch "
            + e
            + (below ? " is below" : " is not below")
            + " the median "
            + ObjectiveValues.format(median)
            + " of "
            + n
            + " completed trials");
  }
}
