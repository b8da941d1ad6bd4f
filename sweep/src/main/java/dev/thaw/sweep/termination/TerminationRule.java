package dev.thaw.sweep.termination;

import java.util.Collection;

/**
 * When to give up on a running trial by comparing it with the other trials of its sweep.
 *
 * <p>Implementations are pure functions of their arguments: no state is kept between calls, so they
 * are thread-safe and an orchestrator that restarts loses nothing. Early stopping inside a trial
 * (patience on a validation metric) is the trainer's business, not this.
 */
public interface TerminationRule {

  /**
   * Decides whether {@code trial} stops now, having just finished its last epoch ({@code
   * trial.epochs()}). Call it once per newly finished epoch: a rule may compare the trial with
   * whoever reached that epoch first, so asking again later about the same epoch can give another
   * answer. For a heartbeat that carries several epochs use {@link #decideFrom}.
   *
   * @param trial the trial that reported; a trial that is not RUNNING is never stopped
   * @param sweepTrials every trial of the sweep, with or without {@code trial} itself (an entry
   *     with the same id is ignored)
   */
  Decision decide(TrialProgress trial, Collection<TrialProgress> sweepTrials);

  /**
   * Decides for each epoch from {@code firstNewEpoch} to the trial's last, as if each had been
   * reported alone, and returns the first stop, or the last epoch's decision if none stops.
   *
   * @param firstNewEpoch the first epoch (1-based) not decided before
   */
  default Decision decideFrom(
      int firstNewEpoch, TrialProgress trial, Collection<TrialProgress> sweepTrials) {
    int from = Math.max(1, firstNewEpoch);
    if (from > trial.epochs()) {
      return decide(trial, sweepTrials);
    }
    Decision last = null;
    for (int e = from; e <= trial.epochs(); e++) {
      TrialProgress then = e == trial.epochs() ? trial : trial.upTo(e);
      last = decide(then, sweepTrials);
      if (last.stop()) {
        return last;
      }
    }
    return last;
  }
}
