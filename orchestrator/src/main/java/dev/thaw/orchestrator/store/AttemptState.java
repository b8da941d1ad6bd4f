package dev.thaw.orchestrator.store;

/** One lease of a trial to one worker. */
public enum AttemptState {
  /** The lease is held; heartbeats extend it. */
  ACTIVE,
  /** The worker reported a result. */
  COMPLETED,
  /** The worker reported a failure. */
  FAILED,
  /** No heartbeat in time: the worker is presumed dead; a late report is rejected. */
  EXPIRED,
  /** The worker stopped and gave the trial back unfinished; it does not count as a retry. */
  HANDED_BACK
}
