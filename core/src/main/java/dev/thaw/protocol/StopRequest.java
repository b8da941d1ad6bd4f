package dev.thaw.protocol;

import dev.thaw.api.SweepState;
import dev.thaw.api.TrialState;
import java.util.Locale;

/**
 * Why a running trial was told to stop at its next heartbeat: the orchestrator stores it in {@code
 * trial.stop_requested} and sends it to the worker as {@link HeartbeatReply#reason()}, both by
 * {@link #key()}; the worker tags its MLflow run by it.
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
  public static StopRequest ofEndedSweep(SweepState state) {
    return state == SweepState.CANCELLED ? CANCELLED : SWEEP_FINISHED;
  }
}
