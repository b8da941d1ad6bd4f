package dev.thaw.worker;

import dev.thaw.train.features.FeatureCache;
import dev.thaw.trial.FeatureReuse;
import java.util.List;
import java.util.function.Supplier;

/**
 * What a worker tells the orchestrator its feature cache holds, in lease requests and heartbeats:
 * the cache's prefixes as {@link FeatureReuse} hints, the most recently used first, at most {@link
 * FeatureReuse#MAX_HINTS}. Empty when the cache is off or holds nothing.
 */
final class HeldPrefixes implements Supplier<List<String>> {
  private final FeatureCache cache;

  HeldPrefixes(FeatureCache cache) {
    this.cache = cache;
  }

  @Override
  public List<String> get() {
    List<String> held = cache.heldPrefixes();
    return held.size() <= FeatureReuse.MAX_HINTS ? held : held.subList(0, FeatureReuse.MAX_HINTS);
  }
}
