package dev.thaw.cli;

import com.fasterxml.jackson.databind.JsonNode;
import java.math.BigDecimal;
import java.math.MathContext;
import java.util.Locale;

/** Hyperparameter and metric values as short text for tables. */
final class Values {
  private Values() {}

  /** Numbers to 4 significant digits ({@code 0.001235}, {@code 3e-5}), the rest as JSON. */
  static String format(JsonNode v) {
    if (v == null || v.isNull()) {
      return "-";
    }
    if (v.isIntegralNumber()) {
      return v.asText();
    }
    if (v.isNumber()) {
      return format(v.doubleValue());
    }
    if (v.isTextual()) {
      return v.asText();
    }
    return v.toString();
  }

  /** A number to 4 significant digits; null is {@code -}. */
  static String format(Double d) {
    if (d == null) {
      return "-";
    }
    if (d.isNaN() || d.isInfinite()) {
      return d.toString();
    }
    if (d != 0 && (Math.abs(d) < 1e-3 || Math.abs(d) >= 1e6)) {
      return String.format(Locale.ROOT, "%.3e", d)
          .replaceAll("\\.?0+e", "e")
          .replace("e-0", "e-")
          .replace("e+0", "e+");
    }
    return new BigDecimal(d).round(new MathContext(4)).stripTrailingZeros().toPlainString();
  }
}
