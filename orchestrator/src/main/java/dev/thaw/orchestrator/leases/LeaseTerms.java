package dev.thaw.orchestrator.leases;

import dev.thaw.trial.TrialSpec;

/**
 * What a lease's reports must agree with: the trial it was leased for, the configuration hash of
 * that trial's spec, and the epochs the spec plans (warm-up and fine-tuning together).
 *
 * @param trialId the id a worker reports for the leased spec ({@link TrialSpec#idOrHash()}, the
 *     trial's id)
 * @param specHash {@link TrialSpec#configHash()} of the leased spec, as a worker computes it
 * @param plannedEpochs the most epochs the trial can run
 */
record LeaseTerms(String trialId, String specHash, int plannedEpochs) {

  /** The terms of a trial from its stored spec. */
  static LeaseTerms of(String trialId, String specJson) {
    TrialSpec spec = TrialSpec.fromJson(specJson, "trial " + trialId);
    return new LeaseTerms(spec.idOrHash(), spec.configHash(), spec.warmupEpochs() + spec.epochs());
  }
}
