package dev.thaw.sweep.termination;

import java.util.Collection;

/** Never stops a trial: every trial runs to its end or its own early stopping. */
public record NoTermination() implements TerminationRule {
  @Override
  public Decision decide(TrialProgress trial, Collection<TrialProgress> sweepTrials) {
    return Decision.proceed("none: no early termination");
  }
}
