package dev.thaw.protocol;

import com.fasterxml.jackson.annotation.JsonInclude;
import dev.thaw.trial.EpochMetrics;
import java.util.List;

/**
 * The worker is alive; with the epochs finished since its last heartbeat (possibly none). The
 * orchestrator ignores epochs it already has, so resending after a lost reply is safe.
 *
 * <p>The last four fields are optional (a worker older than them sends none, and each is left out
 * of the JSON when null): the worker's own figures, which the orchestrator exports as metrics per
 * worker. They are checked like the rest of a report: finite and {@code >= 0}.
 *
 * @param epochs finished epochs, in order
 * @param cachedPrefixes the frozen-prefix features the worker holds now, as in {@link
 *     LeaseRequest#cachedPrefixes}: what it holds when its trial ends decides its next trial, also
 *     when the result and the next lease go in one call; not sent when empty
 * @param epochSeconds wall time of the worker's latest finished epoch (any trial), or null
 * @param samplesPerSecond training throughput of that epoch, or null
 * @param featureCacheHits feature sets the worker's cache served (fully or from a shallower prefix)
 *     since the worker started, or null without a feature cache
 * @param featureCacheLookups feature sets looked up in its cache since it started, or null
 */
public record Heartbeat(
    List<EpochMetrics> epochs,
    @JsonInclude(JsonInclude.Include.NON_EMPTY) List<String> cachedPrefixes,
    @JsonInclude(JsonInclude.Include.NON_NULL) Double epochSeconds,
    @JsonInclude(JsonInclude.Include.NON_NULL) Double samplesPerSecond,
    @JsonInclude(JsonInclude.Include.NON_NULL) Long featureCacheHits,
    @JsonInclude(JsonInclude.Include.NON_NULL) Long featureCacheLookups) {
  public Heartbeat {
    epochs = epochs == null ? List.of() : List.copyOf(epochs);
    cachedPrefixes = cachedPrefixes == null ? List.of() : List.copyOf(cachedPrefixes);
  }

  /** A heartbeat without the worker's own figures. */
  public Heartbeat(List<EpochMetrics> epochs, List<String> cachedPrefixes) {
    this(epochs, cachedPrefixes, null, null, null, null);
  }

  /** A heartbeat from a worker that reports no cached prefixes. */
  public Heartbeat(List<EpochMetrics> epochs) {
    this(epochs, List.of());
  }
}
