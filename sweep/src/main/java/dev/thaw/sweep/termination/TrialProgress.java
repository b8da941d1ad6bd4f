package dev.thaw.sweep.termination;

import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

/**
 * What a termination rule knows about one trial of a sweep: its objective after each finished
 * epoch.
 *
 * <p>Values are oriented so that HIGHER IS BETTER (the caller negates minimised metrics, as for
 * {@link dev.thaw.sweep.search.SearchStrategy.Observation}). A NaN value (a diverged epoch) is
 * allowed and ranks as negative infinity: it is the worst value, never an error.
 *
 * <p>A trial that failed has no state here: leave it out, or pass it as {@link State#PRUNED} if the
 * epochs it finished should still count (they count for ASHA's rungs, never for the median rule,
 * which only looks at completed trials).
 *
 * @param id the trial's id (identifies the trial itself inside a sweep's list)
 * @param number 0-based order of creation in the sweep (ASHA assigns brackets by it)
 * @param values the objective after epoch 1, 2, ... in order; may contain NaN, never null
 * @param state where the trial is in its lifecycle
 */
public record TrialProgress(String id, int number, List<Double> values, State state) {

  /** The part of a trial's lifecycle that termination rules care about. */
  public enum State {
    /** Still training; the only state a rule may stop. */
    RUNNING,
    /** Ran to its last epoch or stopped by its own early stopping. */
    COMPLETED,
    /** Stopped by a termination rule. */
    PRUNED;

    /** Whether the trial will report no more epochs. */
    public boolean isFinished() {
      return this != RUNNING;
    }
  }

  public TrialProgress {
    Objects.requireNonNull(id, "trial id");
    Objects.requireNonNull(state, () -> "trial " + id + ": state");
    Objects.requireNonNull(values, () -> "trial " + id + ": values");
    if (number < 0) {
      throw new IllegalArgumentException(
          "trial " + id + ": number must be >= 0 (got " + number + ")");
    }
    for (int i = 0; i < values.size(); i++) {
      if (values.get(i) == null) {
        throw new IllegalArgumentException(
            "trial " + id + ": value after epoch " + (i + 1) + " is null (use NaN)");
      }
    }
    values = List.copyOf(values);
  }

  /** A running trial with the given values. */
  public static TrialProgress running(String id, int number, double... values) {
    return new TrialProgress(id, number, list(values), State.RUNNING);
  }

  /** A completed trial with the given values. */
  public static TrialProgress completed(String id, int number, double... values) {
    return new TrialProgress(id, number, list(values), State.COMPLETED);
  }

  /** A pruned trial with the given values. */
  public static TrialProgress pruned(String id, int number, double... values) {
    return new TrialProgress(id, number, list(values), State.PRUNED);
  }

  /** How many epochs have finished (the last epoch reported). */
  public int epochs() {
    return values.size();
  }

  /** Whether the trial has a value for {@code epoch} (1-based). */
  public boolean reached(int epoch) {
    return epoch >= 1 && epoch <= values.size();
  }

  /**
   * The best value over epochs 1..{@code epoch}, ignoring NaN; NaN when every one of them is NaN.
   *
   * @throws IllegalArgumentException if the trial has not reached {@code epoch}
   */
  public double bestUpTo(int epoch) {
    if (!reached(epoch)) {
      throw new IllegalArgumentException(
          "trial " + id + " has " + values.size() + " epochs, not " + epoch);
    }
    double best = Double.NaN;
    for (int i = 0; i < epoch; i++) {
      double v = values.get(i);
      if (Double.isNaN(best) || v > best) {
        best = v;
      }
    }
    return best;
  }

  /** The same trial as it was after {@code epochs} epochs, still running. */
  public TrialProgress upTo(int epochs) {
    if (epochs < 0 || epochs > values.size()) {
      throw new IllegalArgumentException(
          "trial " + id + " has " + values.size() + " epochs, cannot cut at " + epochs);
    }
    return new TrialProgress(id, number, values.subList(0, epochs), State.RUNNING);
  }

  private static List<Double> list(double[] values) {
    List<Double> list = new ArrayList<>(values.length);
    for (double v : values) {
      list.add(v);
    }
    return list;
  }
}
