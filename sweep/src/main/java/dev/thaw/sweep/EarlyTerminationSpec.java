package dev.thaw.sweep;

import java.util.List;

/**
 * When to give up on a running trial by comparing it with the others ({@code early_termination}).
 */
public sealed interface EarlyTerminationSpec {

  /** The {@code type} key. */
  String type();

  /** Every trial runs to its end (or its own early stopping). */
  record None() implements EarlyTerminationSpec {
    @Override
    public String type() {
      return "none";
    }
  }

  /**
   * Stop a trial whose best metric so far is worse than the median of completed trials at the same
   * epoch.
   *
   * @param minTrials completed trials needed before the rule acts (default 5)
   * @param warmupEpochs epochs every trial runs before it can be stopped (default 1)
   */
  record Median(int minTrials, int warmupEpochs) implements EarlyTerminationSpec {
    @Override
    public String type() {
      return "median";
    }
  }

  /**
   * Asynchronous successive halving: at rungs min_epochs * reduction_factor^k keep the top 1 /
   * reduction_factor of trials.
   *
   * @param minEpochs epochs at the first rung (default 1)
   * @param reductionFactor eta, >= 2 (default 3)
   * @param brackets number of brackets (default 1)
   */
  record Asha(int minEpochs, int reductionFactor, int brackets) implements EarlyTerminationSpec {
    @Override
    public String type() {
      return "asha";
    }
  }

  /** The valid types. */
  static List<String> types() {
    return List.of("none", "median", "asha");
  }
}
