package dev.thaw.sweep.termination;

import dev.thaw.sweep.EarlyTerminationSpec;

/** Creates the termination rule a sweep's {@code early_termination} names. */
public final class TerminationRules {
  private TerminationRules() {}

  /**
   * The rule for {@code spec}.
   *
   * @throws IllegalArgumentException for settings {@link dev.thaw.sweep.SweepValidator} rejects
   */
  public static TerminationRule of(EarlyTerminationSpec spec) {
    return switch (spec) {
      case EarlyTerminationSpec.None n -> new NoTermination();
      case EarlyTerminationSpec.Median m -> new MedianStoppingRule(m.minTrials(), m.warmupEpochs());
      case EarlyTerminationSpec.Asha a ->
          new AshaRule(a.minEpochs(), a.reductionFactor(), a.brackets());
    };
  }
}
