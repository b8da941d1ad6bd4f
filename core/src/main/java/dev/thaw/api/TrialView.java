package dev.thaw.api;

import com.fasterxml.jackson.databind.JsonNode;

/**
 * One trial.
 *
 * @param id the trial's id
 * @param number 0-based order of creation in the sweep
 * @param state where it is
 * @param attempts leases handed out so far
 * @param configHash the configuration hash
 * @param gridIndex index in the grid (grid search), or null
 * @param params the trial's configuration: a value per dimension path, searched and fixed
 * @param objective best value of the sweep's metric so far, or null
 * @param bestEpoch the epoch of that value, or null
 * @param epochsDone epochs reported by the current attempt
 * @param reason why it failed, was pruned or cancelled, or null
 * @param startedAt ISO-8601 start of the current attempt, or null
 * @param finishedAt ISO-8601 end, or null
 */
public record TrialView(
    String id,
    int number,
    TrialState state,
    int attempts,
    String configHash,
    Integer gridIndex,
    JsonNode params,
    Double objective,
    Integer bestEpoch,
    int epochsDone,
    String reason,
    String startedAt,
    String finishedAt) {}
