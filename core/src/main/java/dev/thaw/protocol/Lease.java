package dev.thaw.protocol;

import dev.thaw.trial.TrialSpec;

/**
 * A trial handed to one worker for a limited time.
 *
 * @param leaseId the lease; every later call names it
 * @param trialId the trial (stable across attempts)
 * @param attempt 1 for the first attempt, 2 after one expiry or retryable failure, ...
 * @param sweepId the sweep the trial belongs to
 * @param sweepName the sweep's name
 * @param configHash the trial's configuration hash
 * @param trial the resolved trial to run
 * @param leaseSeconds seconds the lease lasts without a heartbeat
 * @param heartbeatSeconds how often to heartbeat even between epochs (well under leaseSeconds)
 * @param mlflow where to track the attempt in MLflow; null when tracking is off (and in leases of
 *     orchestrators that predate tracking)
 */
public record Lease(
    String leaseId,
    String trialId,
    int attempt,
    String sweepId,
    String sweepName,
    String configHash,
    TrialSpec trial,
    int leaseSeconds,
    int heartbeatSeconds,
    MlflowTracking mlflow) {}
