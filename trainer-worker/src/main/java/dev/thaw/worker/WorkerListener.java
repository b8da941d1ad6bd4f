package dev.thaw.worker;

import dev.thaw.protocol.Failure;
import dev.thaw.protocol.Lease;
import dev.thaw.train.features.FeatureCacheStats;
import dev.thaw.trial.EpochMetrics;
import dev.thaw.trial.TrialResult;

/**
 * Hears what a {@link WorkerAgent} does, one call per event: {@code thaw worker} prints them, an
 * embedded worker logs them ({@link WorkerLog}).
 */
public interface WorkerListener {
  /** A trial was leased and is about to run. */
  default void leased(Lease lease) {}

  /** An epoch of the leased trial finished. */
  default void epoch(Lease lease, EpochMetrics metrics) {}

  /** The leased trial trained its last epoch; this is what the feature cache did for it. */
  default void featureCache(Lease lease, FeatureCacheStats stats) {}

  /**
   * The trial ended.
   *
   * @param outcome how
   * @param result the delivered result (COMPLETED, STOPPED), else null
   * @param failure the reported failure (FAILED, HANDED_BACK), else null
   * @param detail why it was dropped or stopped, else null
   */
  default void finished(
      Lease lease, TrialOutcome outcome, TrialResult result, Failure failure, String detail) {}

  /** The orchestrator cannot be reached; the worker keeps trying. Once per outage. */
  default void orchestratorUnavailable(String message) {}

  /** A heartbeat could not be delivered; training goes on and the next one retries. */
  default void heartbeatFailed(Lease lease, String message) {}

  /** The worker is about to return. */
  default void exiting(WorkerSummary summary) {}
}
