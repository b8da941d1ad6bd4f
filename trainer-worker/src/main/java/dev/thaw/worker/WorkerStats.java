package dev.thaw.worker;

import dev.thaw.protocol.Heartbeat;
import dev.thaw.train.features.FeatureCacheStats;
import dev.thaw.trial.EpochMetrics;
import java.util.List;

/**
 * The worker's own figures that go with every heartbeat, for the orchestrator's metrics: its latest
 * epoch's wall time and throughput, and its feature cache's hits and lookups since it started.
 * Thread-safe: the trial's thread records, the heartbeat thread reads.
 */
final class WorkerStats {
  private Double epochSeconds;
  private Double samplesPerSecond;
  private long cacheHits;
  private long cacheLookups;
  private boolean cacheSeen;

  /** A finished epoch; NaN or negative figures (a diverged epoch) are not kept. */
  synchronized void epoch(EpochMetrics m) {
    if (Double.isFinite(m.epochSeconds()) && m.epochSeconds() >= 0) {
      epochSeconds = m.epochSeconds();
    }
    if (Double.isFinite(m.samplesPerSecond()) && m.samplesPerSecond() >= 0) {
      samplesPerSecond = m.samplesPerSecond();
    }
  }

  /** What the feature cache did for one trial. */
  synchronized void featureCache(FeatureCacheStats s) {
    if (!s.enabled()) {
      return;
    }
    cacheSeen = true;
    cacheHits += s.hits() + s.partialHits();
    cacheLookups += s.hits() + s.partialHits() + s.misses();
  }

  /** A heartbeat with {@code epochs}, {@code held} and these figures. */
  synchronized Heartbeat heartbeat(List<EpochMetrics> epochs, List<String> held) {
    return new Heartbeat(
        epochs,
        held,
        epochSeconds,
        samplesPerSecond,
        cacheSeen ? cacheHits : null,
        cacheSeen ? cacheLookups : null);
  }
}
