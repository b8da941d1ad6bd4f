package dev.thaw.orchestrator.sweeps;

import dev.thaw.api.SweepState;

/**
 * A CDI event, fired inside the transaction that ended the sweep (completed, failed or cancelled),
 * before its queued trials are cancelled and its running trials asked to stop. Plain observers run
 * in that transaction (the MLflow parent run still open); {@code AFTER_SUCCESS} observers after it
 * commits.
 *
 * @param sweepId the sweep
 * @param state how it ended
 */
public record SweepEnded(String sweepId, SweepState state) {}
