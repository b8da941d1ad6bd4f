package dev.thaw.bench;

import java.util.Arrays;
import org.apache.commons.math3.stat.descriptive.rank.Percentile;
import org.apache.commons.math3.stat.descriptive.rank.Percentile.EstimationType;

/**
 * Percentiles of a set of durations in milliseconds (Commons Math {@link Percentile}, estimation
 * linear interpolation, as NumPy's default). All NaN when there are no samples.
 *
 * @param count number of samples
 * @param p50 median
 * @param p99 99th percentile
 * @param max the largest sample
 */
record LatencySummary(int count, double p50, double p99, double max) {
  static LatencySummary of(double[] millis) {
    if (millis.length == 0) {
      return new LatencySummary(0, Double.NaN, Double.NaN, Double.NaN);
    }
    Percentile percentile = new Percentile().withEstimationType(EstimationType.R_7);
    percentile.setData(millis);
    return new LatencySummary(
        millis.length,
        percentile.evaluate(50),
        percentile.evaluate(99),
        Arrays.stream(millis).max().orElseThrow());
  }
}
