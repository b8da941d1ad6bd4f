package dev.thaw.orchestrator.store;

import dev.thaw.api.SweepState;

/**
 * A stored sweep.
 *
 * @param id UUID
 * @param name the sweep file's name
 * @param state where it is
 * @param method search method key
 * @param objectiveMetric metric key
 * @param maximize whether higher is better
 * @param objectiveTarget value that ends the sweep when reached, or null
 * @param maxTrials trial budget
 * @param parallelTrials running trials at most
 * @param maxFailedTrials failed trials that stop the sweep
 * @param retries re-runs of a trial after an expired lease or retryable failure
 * @param seed the search seed
 * @param sourceGroups the source model's layer groups
 * @param nextProposal the search strategy's next proposal index
 * @param exhausted true when the strategy has nothing more to propose
 * @param specYaml the sweep file as submitted
 * @param createdAt epoch ms
 * @param finishedAt epoch ms, or null
 * @param stopReason why it ended, or null
 * @param mlflowParentRunId the MLflow server's id of the sweep's parent run, or null (not tracked,
 *     or not created on the server yet)
 */
public record SweepRecord(
    String id,
    String name,
    SweepState state,
    String method,
    String objectiveMetric,
    boolean maximize,
    Double objectiveTarget,
    int maxTrials,
    int parallelTrials,
    int maxFailedTrials,
    int retries,
    long seed,
    int sourceGroups,
    int nextProposal,
    boolean exhausted,
    String specYaml,
    long createdAt,
    Long finishedAt,
    String stopReason,
    String mlflowParentRunId) {}
