package dev.thaw.sweep.termination;

import java.util.Arrays;
import java.util.Collection;
import java.util.OptionalInt;

/**
 * Asynchronous successive halving (ASHA, Li et al. 2020) in its stopping form: a trial runs on
 * until it reaches a rung, where it either goes on or stops depending on how it compares with the
 * trials that reached that rung before it.
 *
 * <p><b>Brackets and rungs.</b> Trial number {@code i} belongs to bracket {@code b = i mod
 * brackets}. Bracket {@code b}'s rungs are at epochs {@code minEpochs * eta^(k + b)}, {@code k = 0,
 * 1, ...} (rung {@code k}), where {@code eta} is the reduction factor: with {@code minEpochs = 1,
 * eta = 3}, bracket 0 judges trials at epochs 1, 3, 9, 27..., bracket 1 at 3, 9, 27... Higher
 * brackets give their trials longer before the first cut. Epochs that are not rungs of the trial's
 * bracket always continue.
 *
 * <p><b>The cut.</b> At a rung epoch {@code e}, let {@code n} be the number of trials of the
 * bracket that reached {@code e}: the deciding trial plus every other trial of the bracket with at
 * least {@code e} epochs, whatever its state (a trial pruned after reaching the rung still counts;
 * one pruned before does not). Each is represented by its best value over epochs 1..e (NaN the
 * worst). With {@code keep = floor(n / eta)}:
 *
 * <ul>
 *   <li>if {@code keep = 0} (fewer than {@code eta} trials at the rung), the trial continues: there
 *       is no top 1/eta of so few, and letting the first arrivals through is what makes the
 *       algorithm asynchronous: nobody waits for a full rung;
 *   <li>otherwise the cutoff is the {@code keep}-th best of the {@code n} values (an upper {@code 1
 *       - 1/eta} quantile) and the trial continues if its value is at least the cutoff, that is if
 *       fewer than {@code keep} trials are strictly better (ties continue).
 * </ul>
 *
 * <p>So at every rung at most about {@code 1/eta} of the arrivals after the first {@code eta - 1}
 * go on, and the trial best at a rung is never stopped. Compared with synchronous successive
 * halving, a trial is judged only against those that arrived before it, so a few trials are
 * promoted that a full rung would have cut; that is the price of never waiting.
 *
 * @param minEpochs epochs at bracket 0's first rung, >= 1
 * @param reductionFactor eta, >= 2
 * @param brackets number of brackets, >= 1
 */
public record AshaRule(int minEpochs, int reductionFactor, int brackets)
    implements TerminationRule {
  public AshaRule {
    if (minEpochs < 1) {
      throw new IllegalArgumentException("asha: min_epochs must be >= 1 (got " + minEpochs + ")");
    }
    if (reductionFactor < 2) {
      throw new IllegalArgumentException(
          "asha: reduction_factor must be >= 2 (got " + reductionFactor + ")");
    }
    if (brackets < 1) {
      throw new IllegalArgumentException("asha: brackets must be >= 1 (got " + brackets + ")");
    }
  }

  /** The bracket of trial number {@code trialNumber} (0-based). */
  public int bracketOf(int trialNumber) {
    return trialNumber % brackets;
  }

  /** The rung index {@code k} that {@code epoch} is in {@code bracket}, or empty if none. */
  public OptionalInt rungOf(int bracket, int epoch) {
    int k = 0;
    for (long rung = firstRung(bracket); rung <= epoch; rung *= reductionFactor, k++) {
      if (rung == epoch) {
        return OptionalInt.of(k);
      }
    }
    return OptionalInt.empty();
  }

  @Override
  public Decision decide(TrialProgress trial, Collection<TrialProgress> sweepTrials) {
    int e = trial.epochs();
    int bracket = bracketOf(trial.number());
    if (trial.state() != TrialProgress.State.RUNNING) {
      return Decision.proceed("asha: trial is " + trial.state() + ", not running");
    }
    OptionalInt rung = rungOf(bracket, e);
    if (rung.isEmpty()) {
      return Decision.proceed(
          "asha: epoch " + e + " is not a rung" + inBracket(bracket) + " " + rungList(bracket));
    }
    double[] others =
        sweepTrials.stream()
            .filter(t -> !t.id().equals(trial.id()))
            .filter(t -> bracketOf(t.number()) == bracket && t.reached(e))
            .mapToDouble(t -> ObjectiveValues.rank(t.bestUpTo(e)))
            .toArray();
    int n = others.length + 1;
    int keep = n / reductionFactor;
    double value = trial.bestUpTo(e);
    String where =
        "asha: "
            + (brackets > 1 ? "bracket " + bracket + ", " : "")
            + "rung "
            + rung.getAsInt()
            + " (epoch "
            + e
            + "): ";
    if (keep == 0) {
      return Decision.proceed(
          where
              + n
              + (n == 1 ? " trial" : " trials")
              + " reached it, fewer than "
              + reductionFactor
              + ": let through");
    }
    double[] sorted = Arrays.copyOf(others, n);
    sorted[n - 1] = ObjectiveValues.rank(value);
    Arrays.sort(sorted);
    double cutoff = sorted[n - keep];
    boolean inTop = ObjectiveValues.rank(value) >= cutoff;
    return new Decision(
        !inTop,
        where
            + ObjectiveValues.format(value)
            + (inTop ? " in" : " not in")
            + " the top 1/"
            + reductionFactor
            + " of "
            + n
            + " trials (cutoff "
            + ObjectiveValues.format(cutoff)
            + ")");
  }

  private long firstRung(int bracket) {
    long rung = minEpochs;
    for (int i = 0; i < bracket && rung <= Integer.MAX_VALUE; i++) {
      rung *= reductionFactor;
    }
    return rung;
  }

  private String inBracket(int bracket) {
    return brackets > 1 ? " of bracket " + bracket : "";
  }

  private String rungList(int bracket) {
    StringBuilder s = new StringBuilder("(rungs at epochs ");
    long rung = firstRung(bracket);
    for (int k = 0; k < 3 && rung <= Integer.MAX_VALUE; k++, rung *= reductionFactor) {
      s.append(rung).append(", ");
    }
    return s.append("...)").toString();
  }
}
