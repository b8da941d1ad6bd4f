package dev.thaw.train;

import dev.thaw.train.features.FeatureCacheStats;
import dev.thaw.trial.EpochMetrics;

/**
 * Hears a trial's progress: the CLI prints it, a worker sends it as heartbeats and stops the trial
 * when the orchestrator says so.
 */
public interface TrialObserver {
  /** An observer that ignores everything and never stops the trial. */
  TrialObserver NONE = new TrialObserver() {};

  /** The trial is about to train; its data is loaded. */
  default void started(TrialPlan plan) {}

  /**
   * An epoch finished.
   *
   * @return false to stop the trial now (e.g. pruned by the orchestrator)
   */
  default boolean epochFinished(EpochMetrics metrics) {
    return true;
  }

  /** The trial trained its last epoch; this is what the feature cache did for it. */
  default void featureCache(FeatureCacheStats stats) {}
}
