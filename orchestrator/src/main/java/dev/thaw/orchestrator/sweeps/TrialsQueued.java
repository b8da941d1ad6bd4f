package dev.thaw.orchestrator.sweeps;

/**
 * A CDI event: trials of the sweep were queued (new proposals, or a trial put back after a lost or
 * failed attempt). Observed after the transaction commits by whoever hands out trials.
 *
 * @param sweepId the sweep whose queue grew
 */
public record TrialsQueued(String sweepId) {}
