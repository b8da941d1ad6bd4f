package dev.thaw.orchestrator.store;

import dev.thaw.api.TrialState;
import dev.thaw.protocol.StopRequest;

/**
 * A stored trial.
 *
 * @param id UUID
 * @param sweepId its sweep
 * @param number 0-based order of creation in the sweep
 * @param proposalIndex the search strategy's proposal index
 * @param gridIndex index in the grid (grid search), or null
 * @param configHash the configuration hash, unique within the sweep
 * @param paramsJson the configuration (canonical JSON)
 * @param specJson the resolved trial spec
 * @param state where it is
 * @param attempts leases handed out so far
 * @param stopRequested why the running trial was told to stop, or null
 * @param objective best value of the sweep's metric so far, or null
 * @param bestEpoch epoch of that value, or null
 * @param epochsDone epochs reported by the current attempt
 * @param resultJson the worker's result, or null
 * @param reason why it failed, was pruned or cancelled, or null
 * @param queuedAt epoch ms
 * @param startedAt epoch ms of the current attempt, or null
 * @param finishedAt epoch ms, or null
 */
public record TrialRecord(
    String id,
    String sweepId,
    int number,
    int proposalIndex,
    Integer gridIndex,
    String configHash,
    String paramsJson,
    String specJson,
    TrialState state,
    int attempts,
    StopRequest stopRequested,
    Double objective,
    Integer bestEpoch,
    int epochsDone,
    String resultJson,
    String reason,
    long queuedAt,
    Long startedAt,
    Long finishedAt) {}
