package dev.thaw.bench;

import java.util.Arrays;
import java.util.List;
import org.apache.commons.math3.stat.descriptive.DescriptiveStatistics;

/**
 * One freeze depth's best-epoch validation accuracies over seeds, summarised.
 *
 * @param depth the freeze depth
 * @param seeds how many seeds
 * @param mean their mean
 * @param sd their sample standard deviation (n - 1; 0 for a single seed)
 * @param min the lowest
 * @param max the highest
 */
record DepthAccuracy(int depth, int seeds, double mean, double sd, double min, double max) {

  static DepthAccuracy of(int depth, double[] accuracies) {
    if (accuracies.length == 0) {
      throw new IllegalArgumentException("depth " + depth + ": no accuracies");
    }
    DescriptiveStatistics stats = new DescriptiveStatistics(accuracies);
    return new DepthAccuracy(
        depth,
        accuracies.length,
        stats.getMean(),
        stats.getStandardDeviation(),
        Arrays.stream(accuracies).min().orElseThrow(),
        Arrays.stream(accuracies).max().orElseThrow());
  }

  /**
   * The depth with the highest mean; on an exact tie the shallower one (the one that trains more,
   * so a tie never counts for freezing).
   */
  static DepthAccuracy best(List<DepthAccuracy> byDepth) {
    DepthAccuracy best = null;
    for (DepthAccuracy d : byDepth) {
      if (best == null || d.mean > best.mean || (d.mean == best.mean && d.depth < best.depth)) {
        best = d;
      }
    }
    if (best == null) {
      throw new IllegalArgumentException("no depths");
    }
    return best;
  }

  /** The depth with the highest mean after {@link #best}, or null when there is one depth. */
  static DepthAccuracy runnerUp(List<DepthAccuracy> byDepth) {
    DepthAccuracy best = best(byDepth);
    List<DepthAccuracy> rest = byDepth.stream().filter(d -> d != best).toList();
    return rest.isEmpty() ? null : best(rest);
  }
}
