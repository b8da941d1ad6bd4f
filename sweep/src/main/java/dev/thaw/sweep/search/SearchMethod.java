package dev.thaw.sweep.search;

import dev.thaw.sweep.space.SearchSpace;
import java.util.Arrays;
import java.util.Locale;
import java.util.stream.Collectors;

/**
 * The search methods a sweep file may name in {@code method}; each creates its {@link
 * SearchStrategy}.
 */
public enum SearchMethod {
  GRID,
  RANDOM,
  SOBOL,
  TPE;

  /** The name used in sweep files: {@code grid}, {@code random}, {@code sobol}, {@code tpe}. */
  public String key() {
    return name().toLowerCase(Locale.ROOT);
  }

  /**
   * This method's strategy over {@code space}, with default settings.
   *
   * @throws IllegalArgumentException for a space the method cannot search (a continuous dimension
   *     under grid)
   */
  public SearchStrategy strategy(SearchSpace space, long seed) {
    return switch (this) {
      case GRID -> new GridSearch(space, seed);
      case RANDOM -> new RandomSearch(space, seed);
      case SOBOL -> new SobolSearch(space, seed);
      case TPE -> new TpeSearch(space, seed);
    };
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
