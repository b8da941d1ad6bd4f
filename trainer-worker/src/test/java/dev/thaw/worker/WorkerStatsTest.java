package dev.thaw.worker;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import dev.thaw.protocol.Heartbeat;
import dev.thaw.train.features.FeatureCacheStats;
import dev.thaw.trial.EpochMetrics;
import dev.thaw.trial.Stage;
import java.util.List;
import org.junit.jupiter.api.Test;

/** What a worker sends of its own with every heartbeat, for the orchestrator's metrics. */
class WorkerStatsTest {
  @Test
  void aNewWorkerSendsNoFigures() {
    Heartbeat beat = new WorkerStats().heartbeat(List.of(), List.of());
    assertNull(beat.epochSeconds());
    assertNull(beat.samplesPerSecond());
    assertNull(beat.featureCacheHits());
    assertNull(beat.featureCacheLookups());
  }

  @Test
  void theLatestEpochCountsAndADivergedOneIsNotKept() {
    WorkerStats stats = new WorkerStats();
    stats.epoch(epoch(2.5, 400));
    stats.epoch(epoch(Double.NaN, -1));
    Heartbeat beat = stats.heartbeat(List.of(), List.of());
    assertEquals(2.5, beat.epochSeconds());
    assertEquals(400.0, beat.samplesPerSecond());
    stats.epoch(epoch(3.0, 350));
    assertEquals(3.0, stats.heartbeat(List.of(), List.of()).epochSeconds());
  }

  @Test
  void featureCacheCountsAddUpOverTrialsAndPartialHitsAreHits() {
    WorkerStats stats = new WorkerStats();
    stats.featureCache(FeatureCacheStats.DISABLED);
    assertNull(stats.heartbeat(List.of(), List.of()).featureCacheLookups(), "no cache: none");
    stats.featureCache(new FeatureCacheStats(true, 0, 0, 2, 0, 10, 1.0, 1, List.of()));
    stats.featureCache(new FeatureCacheStats(true, 1, 1, 0, 1, 10, 0.1, 1, List.of()));
    Heartbeat beat = stats.heartbeat(List.of(), List.of("abc@2"));
    assertEquals(2L, beat.featureCacheHits());
    assertEquals(4L, beat.featureCacheLookups());
    assertEquals(List.of("abc@2"), beat.cachedPrefixes());
  }

  private static EpochMetrics epoch(double seconds, double perSecond) {
    return new EpochMetrics(1, Stage.FINE_TUNE, 0.5, 0.5, 0.5, seconds, perSecond);
  }
}
