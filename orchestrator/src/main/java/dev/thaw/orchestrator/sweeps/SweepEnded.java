package dev.thaw.orchestrator.sweeps;

import dev.thaw.sweep.api.SweepState;

/**
 * A CDI event: the sweep ended (completed, failed or cancelled); its queued trials are cancelled
 * and its running trials asked to stop. Observed after the transaction commits.
 *
 * @param sweepId the sweep
 * @param state how it ended
 */
public record SweepEnded(String sweepId, SweepState state) {}
