package dev.thaw.orchestrator.sweeps;

/**
 * A CDI event: a new sweep is stored and running. Observed after the transaction commits.
 *
 * @param sweepId the sweep
 */
public record SweepSubmitted(String sweepId) {}
