package dev.thaw.orchestrator.leases;

import com.fasterxml.jackson.annotation.JsonRawValue;
import dev.thaw.protocol.Lease;
import dev.thaw.protocol.MlflowTracking;
import dev.thaw.trial.TrialSpec;

/**
 * A {@link Lease} as the worker API sends it: the same JSON, with the trial spec written as stored
 * ({@code trial.spec_json}, made by {@link TrialSpec#toJson}) instead of parsed and written again.
 *
 * @param trial the trial spec's JSON
 */
public record WireLease(
    String leaseId,
    String trialId,
    int attempt,
    String sweepId,
    String sweepName,
    String configHash,
    @JsonRawValue String trial,
    int leaseSeconds,
    int heartbeatSeconds,
    MlflowTracking mlflow) {

  /** The lease with its trial spec parsed, as an in-process worker takes it. */
  public Lease toLease() {
    return new Lease(
        leaseId,
        trialId,
        attempt,
        sweepId,
        sweepName,
        configHash,
        TrialSpec.fromJson(trial, "trial " + trialId),
        leaseSeconds,
        heartbeatSeconds,
        mlflow);
  }
}
