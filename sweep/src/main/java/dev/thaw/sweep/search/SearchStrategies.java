package dev.thaw.sweep.search;

import dev.thaw.sweep.space.SearchSpace;

/** Creates the strategy a sweep's {@code method} names, with default settings. */
public final class SearchStrategies {
  private SearchStrategies() {}

  /**
   * The strategy for {@code method} ({@code grid}, {@code random}, {@code sobol}, {@code tpe}).
   *
   * @throws IllegalArgumentException for an unknown method, or a space the method cannot search (a
   *     continuous dimension under grid)
   */
  public static SearchStrategy create(String method, SearchSpace space, long seed) {
    return create(SearchMethod.parse(method), space, seed);
  }

  public static SearchStrategy create(SearchMethod method, SearchSpace space, long seed) {
    return switch (method) {
      case GRID -> new GridSearch(space, seed);
      case RANDOM -> new RandomSearch(space, seed);
      case SOBOL -> new SobolSearch(space, seed);
      case TPE -> new TpeSearch(space, seed);
    };
  }
}
