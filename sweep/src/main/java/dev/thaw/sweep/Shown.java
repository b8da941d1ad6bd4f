package dev.thaw.sweep;

import com.fasterxml.jackson.databind.JsonNode;
import java.math.BigDecimal;

/** Values as error messages show them. */
final class Shown {
  private Shown() {}

  /** A value as the user wrote it: strings quoted, mappings and lists as JSON. */
  static String value(JsonNode v) {
    if (v.isTextual()) {
      return "'" + v.asText() + "'";
    }
    if (v.isNull()) {
      return "nothing";
    }
    if (v.isFloatingPointNumber()) {
      return number(v.doubleValue());
    }
    return v.toString();
  }

  /** A number as a person would write it: 0.001, 1E-7, 5. */
  static String number(double d) {
    if (Double.isNaN(d) || Double.isInfinite(d)) {
      return Double.toString(d);
    }
    String s = BigDecimal.valueOf(d).stripTrailingZeros().toString();
    return s.replace("E-", "e-").replace("E+", "e");
  }
}
