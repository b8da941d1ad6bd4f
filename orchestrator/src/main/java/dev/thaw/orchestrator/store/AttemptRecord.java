package dev.thaw.orchestrator.store;

/**
 * One lease of a trial.
 *
 * @param id the lease id
 * @param trialId the trial
 * @param number 1-based attempt number
 * @param workerId the worker that holds or held it
 * @param host the worker's host
 * @param device the worker's device
 * @param state where it is
 * @param leaseExpiresAt epoch ms
 * @param startedAt epoch ms
 * @param endedAt epoch ms, or null
 * @param reason why it ended, or null
 */
public record AttemptRecord(
    String id,
    String trialId,
    int number,
    String workerId,
    String host,
    String device,
    AttemptState state,
    long leaseExpiresAt,
    long startedAt,
    Long endedAt,
    String reason) {}
