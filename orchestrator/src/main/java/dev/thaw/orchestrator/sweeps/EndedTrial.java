package dev.thaw.orchestrator.sweeps;

import dev.thaw.api.TrialState;

/**
 * What {@link SweepService#afterTrialEnded} needs to know of a trial that just ended.
 *
 * @param number the trial's number in its sweep
 * @param state its end state
 * @param objective its best objective value, or null
 * @param reason why it ended (for failures), or null
 */
public record EndedTrial(int number, TrialState state, Double objective, String reason) {}
