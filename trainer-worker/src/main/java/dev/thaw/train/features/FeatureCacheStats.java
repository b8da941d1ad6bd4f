package dev.thaw.train.features;

import java.util.List;

/**
 * What the feature cache did for one trial. Each cached stage looks up two sets of features, its
 * training and its validation images'.
 *
 * @param enabled whether the worker has a feature cache at all
 * @param hits sets found cached at the stage's depth (in memory or on disk)
 * @param partialHits sets computed from a shallower cached prefix (only the groups between run)
 * @param misses sets computed from the images
 * @param diskReads sets among the hits and partial hits read back from disk
 * @param bytes bytes of the feature sets the trial trained and validated on
 * @param prefixSeconds seconds spent running frozen prefixes to fill the cache
 * @param cachedStages stages that trained on cached features
 * @param uncached why each stage that ran uncached did, e.g. {@code warmup: augmentation crop_flip}
 */
public record FeatureCacheStats(
    boolean enabled,
    int hits,
    int partialHits,
    int misses,
    int diskReads,
    long bytes,
    double prefixSeconds,
    int cachedStages,
    List<String> uncached) {
  public FeatureCacheStats {
    uncached = List.copyOf(uncached);
  }

  /**
   * True when a stage used the cache or the cache refused one (a trial with nothing frozen: no).
   */
  public boolean anyStage() {
    return enabled && (cachedStages > 0 || !uncached.isEmpty());
  }

  /** A trial run without a feature cache. */
  public static final FeatureCacheStats DISABLED =
      new FeatureCacheStats(false, 0, 0, 0, 0, 0, 0, 0, List.of());
}
