package dev.thaw.sweep.space;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.DoubleNode;
import com.fasterxml.jackson.databind.node.LongNode;
import java.util.List;

/**
 * The values one search dimension may take. Every search strategy works through two views of a
 * domain: {@link #fromUnit(double)} maps a number in [0, 1) to a value (the inverse CDF of the
 * domain's distribution, so quasi-random and model-based searches work on the unit cube), and
 * {@link #gridSize()}/{@link #gridValue(int)} enumerate a finite domain for grid search.
 */
public sealed interface Domain {

  /** The value at quantile {@code u} in [0, 1). */
  JsonNode fromUnit(double u);

  /**
   * The quantile of {@code value}: the CDF for numeric domains, the centre of the value's cell
   * ({@code (k + 0.5) / n}) for the k-th of n categorical or integer values, 0.5 for a fixed value.
   * {@code fromUnit(toUnit(v))} gives {@code v} back (up to floating-point rounding for continuous
   * domains) for every value the domain can produce.
   *
   * @throws IllegalArgumentException when the value cannot come from this domain (not a number, or
   *     not one of the listed values)
   */
  double toUnit(JsonNode value);

  /** Number of grid points, or -1 when the domain is continuous and cannot be gridded. */
  int gridSize();

  /** The i-th grid point, 0 <= i < gridSize(). */
  JsonNode gridValue(int i);

  /** True when every value is a number and the domain is ordered (uniform-like domains). */
  default boolean numeric() {
    return false;
  }

  /** One fixed value: the dimension never varies. */
  record Fixed(JsonNode value) implements Domain {
    @Override
    public JsonNode fromUnit(double u) {
      return value;
    }

    @Override
    public double toUnit(JsonNode v) {
      return 0.5;
    }

    @Override
    public int gridSize() {
      return 1;
    }

    @Override
    public JsonNode gridValue(int i) {
      return value;
    }
  }

  /** A list of values, unordered; each equally likely under random search. */
  record Categorical(List<JsonNode> values) implements Domain {
    public Categorical {
      values = List.copyOf(values);
      if (values.isEmpty()) {
        throw new IllegalArgumentException("a categorical domain needs at least one value");
      }
    }

    @Override
    public JsonNode fromUnit(double u) {
      return values.get(Math.min(values.size() - 1, (int) Math.floor(u * values.size())));
    }

    @Override
    public double toUnit(JsonNode v) {
      for (int k = 0; k < values.size(); k++) {
        if (sameValue(values.get(k), v)) {
          return (k + 0.5) / values.size();
        }
      }
      throw new IllegalArgumentException(v + " is not one of the values " + values);
    }

    @Override
    public int gridSize() {
      return values.size();
    }

    @Override
    public JsonNode gridValue(int i) {
      return values.get(i);
    }
  }

  /** Uniform on [min, max], optionally rounded to a multiple of q. */
  record Uniform(double min, double max, Double q) implements Domain {
    @Override
    public JsonNode fromUnit(double u) {
      return DoubleNode.valueOf(quantise(min + u * (max - min), q, min, max));
    }

    @Override
    public double toUnit(JsonNode v) {
      double x = number(v);
      return max > min ? clampUnit((x - min) / (max - min)) : 0.5;
    }

    @Override
    public int gridSize() {
      return q == null ? -1 : (int) (Math.floor((max - min) / q + 1e-9) + 1);
    }

    @Override
    public JsonNode gridValue(int i) {
      return DoubleNode.valueOf(quantise(min + i * q, q, min, max));
    }

    @Override
    public boolean numeric() {
      return true;
    }
  }

  /** Log-uniform on [min, max] (min > 0), optionally rounded to a multiple of q. */
  record LogUniform(double min, double max, Double q) implements Domain {
    @Override
    public JsonNode fromUnit(double u) {
      double v = Math.exp(Math.log(min) + u * (Math.log(max) - Math.log(min)));
      return DoubleNode.valueOf(quantise(v, q, min, max));
    }

    @Override
    public double toUnit(JsonNode v) {
      double x = number(v);
      if (!(x > 0)) {
        throw new IllegalArgumentException(v + " is not a positive number (log-uniform domain)");
      }
      double span = Math.log(max) - Math.log(min);
      return span > 0 ? clampUnit((Math.log(x) - Math.log(min)) / span) : 0.5;
    }

    @Override
    public int gridSize() {
      return -1;
    }

    @Override
    public JsonNode gridValue(int i) {
      throw new UnsupportedOperationException("a log-uniform domain has no grid");
    }

    @Override
    public boolean numeric() {
      return true;
    }
  }

  /** Integers uniform on [min, max], in steps of q (default 1). */
  record IntUniform(long min, long max, Long q) implements Domain {
    private long step() {
      return q == null ? 1 : q;
    }

    @Override
    public JsonNode fromUnit(double u) {
      long n = (max - min) / step() + 1;
      long k = Math.min(n - 1, (long) Math.floor(u * n));
      return LongNode.valueOf(min + k * step());
    }

    @Override
    public double toUnit(JsonNode v) {
      double x = number(v);
      long n = (max - min) / step() + 1;
      long k = Math.max(0, Math.min(n - 1, Math.round((x - min) / step())));
      return (k + 0.5) / n;
    }

    @Override
    public int gridSize() {
      return (int) ((max - min) / step() + 1);
    }

    @Override
    public JsonNode gridValue(int i) {
      return LongNode.valueOf(min + i * step());
    }

    @Override
    public boolean numeric() {
      return true;
    }
  }

  private static double number(JsonNode v) {
    if (v == null || !v.isNumber()) {
      throw new IllegalArgumentException(v + " is not a number");
    }
    return v.doubleValue();
  }

  private static double clampUnit(double u) {
    return Math.max(0.0, Math.min(1.0, u));
  }

  /** Equal JSON values, with numbers compared by value (16 as an int equals 16 as a long). */
  private static boolean sameValue(JsonNode a, JsonNode b) {
    if (a.isNumber() && b != null && b.isNumber()) {
      return a.isIntegralNumber() && b.isIntegralNumber()
          ? a.bigIntegerValue().equals(b.bigIntegerValue())
          : Double.compare(a.doubleValue(), b.doubleValue()) == 0;
    }
    return a.equals(b);
  }

  /**
   * Rounds to the grid {@code min + k q}, the same points {@link Uniform#gridValue(int)} lists (a
   * grid anchored at 0 would give duplicates when min is not a multiple of q).
   */
  private static double quantise(double v, Double q, double min, double max) {
    if (q == null) {
      return Math.min(max, Math.max(min, v));
    }
    double r = min + Math.round((v - min) / q) * q;
    // Stay inside the bounds after rounding, on the grid.
    while (r > max + 1e-12) {
      r -= q;
    }
    while (r < min - 1e-12) {
      r += q;
    }
    // Trim floating-point noise such as 0.30000000000000004.
    return Double.parseDouble(String.format(java.util.Locale.ROOT, "%.12g", r));
  }
}
