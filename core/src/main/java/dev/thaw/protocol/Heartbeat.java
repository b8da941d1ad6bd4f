package dev.thaw.protocol;

import dev.thaw.trial.EpochMetrics;
import java.util.List;

/**
 * The worker is alive; with the epochs finished since its last heartbeat (possibly none). The
 * orchestrator ignores epochs it already has, so resending after a lost reply is safe.
 *
 * @param epochs finished epochs, in order
 */
public record Heartbeat(List<EpochMetrics> epochs) {
  public Heartbeat {
    epochs = epochs == null ? List.of() : List.copyOf(epochs);
  }
}
