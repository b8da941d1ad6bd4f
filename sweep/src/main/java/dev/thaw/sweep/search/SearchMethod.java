package dev.thaw.sweep.search;

import java.util.Arrays;
import java.util.Locale;
import java.util.stream.Collectors;

/** The search methods a sweep file may name in {@code method}. */
public enum SearchMethod {
  GRID,
  RANDOM,
  SOBOL,
  TPE;

  /** The name used in sweep files: {@code grid}, {@code random}, {@code sobol}, {@code tpe}. */
  public String key() {
    return name().toLowerCase(Locale.ROOT);
  }

  /** Parses a sweep file's method name, case-insensitively. */
  public static SearchMethod parse(String method) {
    for (SearchMethod m : values()) {
      if (m.key().equalsIgnoreCase(method == null ? "" : method.trim())) {
        return m;
      }
    }
    throw new IllegalArgumentException(
        "unknown search method '" + method + "'; expected one of " + keys());
  }

  /** The valid names, comma-separated, for error messages. */
  public static String keys() {
    return Arrays.stream(values()).map(SearchMethod::key).collect(Collectors.joining(", "));
  }
}
