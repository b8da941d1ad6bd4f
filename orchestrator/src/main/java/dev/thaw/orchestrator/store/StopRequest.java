package dev.thaw.orchestrator.store;

import dev.thaw.api.TrialState;
import java.util.Locale;

/**
 * Why a running trial was told to stop at its next heartbeat; stored in {@code
 * trial.stop_requested} and sent to its worker in the heartbeat reply by {@link #key()}.
 */
public enum StopRequest {
  /** The early-termination rule stopped it: it ends PRUNED with its partial result. */
  PRUNED,
  /** A user cancelled its sweep: it ends CANCELLED. */
  CANCELLED,
  /** Its sweep ended otherwise (target reached, too many failures, done): it ends CANCELLED. */
  SWEEP_FINISHED;

  /** The name in the store and on the wire, e.g. {@code sweep_finished}. */
  public String key() {
    return name().toLowerCase(Locale.ROOT);
  }

  /** The state the trial ends in when it stops for this reason. */
  public TrialState endState() {
    return this == PRUNED ? TrialState.PRUNED : TrialState.CANCELLED;
  }

  /** The stop request stored as {@code key}, or null for null. */
  public static StopRequest ofKey(String key) {
    return key == null ? null : valueOf(key.toUpperCase(Locale.ROOT));
  }

  /** Why the running trials of a sweep that ended in {@code state} are stopped. */
  public static StopRequest ofEndedSweep(dev.thaw.api.SweepState state) {
    return state == dev.thaw.api.SweepState.CANCELLED ? CANCELLED : SWEEP_FINISHED;
  }
}
