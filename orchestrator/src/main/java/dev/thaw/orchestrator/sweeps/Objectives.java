package dev.thaw.orchestrator.sweeps;

import dev.thaw.trial.EpochMetrics;
import dev.thaw.trial.Metric;
import java.util.List;

/** A trial's objective: the best value of the sweep's metric over its epochs. */
public final class Objectives {
  private Objectives() {}

  /**
   * The best epoch.
   *
   * @param value the metric's value there
   * @param epoch its 1-based epoch number
   */
  public record Best(double value, int epoch) {}

  /** The best epoch by {@code metric} (NaN epochs skipped), or null when there is none. */
  public static Best best(Metric metric, boolean maximize, List<EpochMetrics> epochs) {
    Best best = null;
    for (EpochMetrics e : epochs) {
      double v = metric.of(e);
      if (Double.isNaN(v)) {
        continue;
      }
      if (best == null || (maximize ? v > best.value() : v < best.value())) {
        best = new Best(v, e.epoch());
      }
    }
    return best;
  }

  /** {@code value} turned so that higher is better. */
  public static double oriented(double value, boolean maximize) {
    return maximize ? value : -value;
  }

  /** Whether {@code value} reaches {@code target} in the objective's direction. */
  public static boolean reaches(double value, double target, boolean maximize) {
    return maximize ? value >= target : value <= target;
  }
}
