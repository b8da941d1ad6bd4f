package dev.thaw.sweep.search;

import dev.thaw.sweep.space.Point;
import dev.thaw.sweep.space.SearchSpace;
import java.util.List;
import java.util.Optional;

/**
 * Independent samples of every dimension's distribution. Proposal {@code i} draws a point in the
 * unit cube from its own generator, seeded from (seed, i), and maps it through each dimension's
 * inverse CDF; so proposal {@code i} is the same whatever was proposed before it. Never exhausted.
 */
public final class RandomSearch implements SearchStrategy {
  private final SearchSpace space;
  private final long seed;
  private final int dimensions;

  public RandomSearch(SearchSpace space, long seed) {
    this.space = space;
    this.seed = seed;
    this.dimensions = space.dimensions().size();
  }

  @Override
  public Optional<Point> propose(int index, List<Observation> completed) {
    return Optional.of(space.fromUnit(unit(index)));
  }

  /** The unit-cube coordinates of proposal {@code index}, in axis order. */
  double[] unit(int index) {
    if (index < 0) {
      throw new IllegalArgumentException("proposal index must be >= 0, got " + index);
    }
    SplitMix64 rng = SplitMix64.forStream(seed, SplitMix64.RANDOM, index);
    double[] u = new double[dimensions];
    for (int k = 0; k < dimensions; k++) {
      u[k] = rng.nextDouble();
    }
    return u;
  }
}
