package dev.thaw.protocol;

import com.fasterxml.jackson.annotation.JsonInclude;
import dev.thaw.trial.EpochMetrics;
import java.util.List;

/**
 * The worker is alive; with the epochs finished since its last heartbeat (possibly none). The
 * orchestrator ignores epochs it already has, so resending after a lost reply is safe.
 *
 * @param epochs finished epochs, in order
 * @param cachedPrefixes the frozen-prefix features the worker holds now, as in {@link
 *     LeaseRequest#cachedPrefixes}: what it holds when its trial ends decides its next trial, also
 *     when the result and the next lease go in one call; not sent when empty
 */
public record Heartbeat(
    List<EpochMetrics> epochs,
    @JsonInclude(JsonInclude.Include.NON_EMPTY) List<String> cachedPrefixes) {
  public Heartbeat {
    epochs = epochs == null ? List.of() : List.copyOf(epochs);
    cachedPrefixes = cachedPrefixes == null ? List.of() : List.copyOf(cachedPrefixes);
  }

  /** A heartbeat from a worker that reports no cached prefixes. */
  public Heartbeat(List<EpochMetrics> epochs) {
    this(epochs, List.of());
  }
}
