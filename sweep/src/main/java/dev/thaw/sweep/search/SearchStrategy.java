package dev.thaw.sweep.search;

import dev.thaw.sweep.space.Point;
import java.util.List;
import java.util.Optional;

/**
 * What to try next. Strategies are deterministic functions of (space, seed, index, completed
 * results): proposal {@code index} is the same on every run and machine, so a resumed sweep asks
 * for the indices it has not run yet instead of starting over.
 */
public interface SearchStrategy {

  /**
   * Proposes the configuration for trial {@code index} (0-based).
   *
   * @param index how many proposals came before this one
   * @param completed finished trials with their objective, in completion order (model-based
   *     strategies learn from them; the others ignore them)
   * @return the point, or empty when the space is exhausted (a grid that has been covered)
   */
  Optional<Point> propose(int index, List<Observation> completed);

  /**
   * A finished trial's configuration and objective.
   *
   * @param point the configuration
   * @param objective the objective value, oriented so that HIGHER IS BETTER (callers negate
   *     minimised metrics)
   */
  record Observation(Point point, double objective) {}
}
