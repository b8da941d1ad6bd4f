package dev.thaw.bench;

import dev.thaw.train.FineTuner;
import dev.thaw.train.TrialObserver;
import dev.thaw.trial.TrialResult;
import dev.thaw.trial.TrialSpec;
import java.util.Arrays;
import java.util.Locale;

/**
 * What the transfer benchmarks ({@code imagenet-transfer}, {@code text-transfer}) share: one table
 * row per trial (seed, weights, recipe, best validation accuracy, its epoch, seconds), and the
 * per-seed gains in percentage points with their mean.
 */
final class SeedGains {
  private SeedGains() {}

  /**
   * Runs {@code spec}, prints its row with the recipe column {@code recipeWidth} wide, and returns
   * its best validation accuracy.
   */
  static double row(
      FineTuner tuner, int seed, String weights, String recipe, int recipeWidth, TrialSpec spec) {
    TrialResult r = tuner.run(spec, TrialObserver.NONE);
    var best = BenchTrials.bestValAccuracyEpoch(r);
    System.out.printf(
        Locale.ROOT,
        "%-6d %-10s %-" + recipeWidth + "s %9.2f%% %11d %10.1f%n",
        seed,
        weights,
        recipe,
        100 * best.valAccuracy(),
        best.epoch(),
        r.wallSeconds());
    return best.valAccuracy();
  }

  /** Per seed, {@code a} minus {@code b} in percentage points (both accuracies in [0, 1]). */
  static double[] gains(double[] a, double[] b) {
    double[] g = new double[a.length];
    for (int i = 0; i < a.length; i++) {
      g[i] = 100 * (a[i] - b[i]);
    }
    return g;
  }

  static double mean(double[] values) {
    return Arrays.stream(values).average().orElse(Double.NaN);
  }

  /** The values to two decimals, as a list: {@code [12.40, 13.11]}. */
  static String format(double[] values) {
    return Arrays.stream(values)
        .mapToObj(v -> String.format(Locale.ROOT, "%.2f", v))
        .toList()
        .toString();
  }
}
