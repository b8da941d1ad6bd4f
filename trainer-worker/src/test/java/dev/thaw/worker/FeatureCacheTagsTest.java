package dev.thaw.worker;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.thaw.train.features.FeatureCacheStats;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The MLflow tags a trial's run gets from what the feature cache did for it. */
class FeatureCacheTagsTest {
  @Test
  void aCachedTrialIsTaggedWithItsHitsAndBytesAndWhyAStageRanUncached() {
    var stats =
        new FeatureCacheStats(true, 2, 1, 1, 1, 123456L, 0.25, 1, List.of("warmup: nothing"));
    assertEquals(
        Map.of(
            "thaw.feature_cache.hits", "2",
            "thaw.feature_cache.partial_hits", "1",
            "thaw.feature_cache.misses", "1",
            "thaw.feature_cache.disk_reads", "1",
            "thaw.feature_cache.bytes", "123456",
            "thaw.feature_cache.prefix_seconds", "0.250",
            "thaw.feature_cache.cached_stages", "1",
            "thaw.feature_cache.uncached", "warmup: nothing"),
        TrialRunFields.featureCacheTags(stats));
  }

  @Test
  void aWorkerWithoutACacheAddsNoTags() {
    assertEquals(Map.of(), TrialRunFields.featureCacheTags(FeatureCacheStats.DISABLED));
    assertEquals(Map.of(), TrialRunFields.featureCacheTags(null));
  }
}
