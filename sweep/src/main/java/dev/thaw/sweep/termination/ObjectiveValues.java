package dev.thaw.sweep.termination;

import java.math.BigDecimal;
import java.math.MathContext;
import java.util.Arrays;

/** NaN-aware helpers on objective values (higher is better, NaN is the worst). */
final class ObjectiveValues {
  private ObjectiveValues() {}

  /** The value to compare with: NaN becomes negative infinity, the worst. */
  static double rank(double value) {
    return Double.isNaN(value) ? Double.NEGATIVE_INFINITY : value;
  }

  /**
   * The median of ranked values (the mean of the middle two for an even count). Not NaN unless the
   * middle two are negative and positive infinity.
   */
  static double median(double[] values) {
    double[] sorted = Arrays.stream(values).map(ObjectiveValues::rank).sorted().toArray();
    int n = sorted.length;
    if (n == 0) {
      throw new IllegalArgumentException("median of no values");
    }
    double lo = sorted[(n - 1) / 2];
    double hi = sorted[n / 2];
    return lo == hi ? lo : lo / 2 + hi / 2;
  }

  /** Four significant digits, for reasons: {@code 0.812}, {@code -1.235e6}, {@code NaN}. */
  static String format(double value) {
    if (Double.isNaN(value)) {
      return "NaN";
    }
    if (Double.isInfinite(value)) {
      return value > 0 ? "inf" : "-inf";
    }
    if (value == 0) {
      return "0";
    }
    String s = new BigDecimal(value).round(new MathContext(4)).stripTrailingZeros().toString();
    return s.replace("E+", "e").replace("E", "e");
  }
}
