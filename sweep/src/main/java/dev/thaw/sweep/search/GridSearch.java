package dev.thaw.sweep.search;

import com.fasterxml.jackson.databind.JsonNode;
import dev.thaw.sweep.space.Domain;
import dev.thaw.sweep.space.Point;
import dev.thaw.sweep.space.SearchSpace;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;

/**
 * Every combination of the dimensions' grid values, once each, in a seeded random order.
 *
 * <p>Grid index {@code g} is the mixed-radix number whose digits are the value indices of the
 * dimensions in sorted name order (the first name is the most significant digit, as in nested
 * loops). Proposal {@code i} is grid point {@code perm[i]}, where {@code perm} is a Fisher-Yates
 * shuffle of {@code [0, size)} driven by the seed; store {@link #gridIndex(int)} with each trial so
 * that a resumed sweep knows which points it has covered.
 */
public final class GridSearch implements SearchStrategy {

  /** Largest grid this strategy enumerates (the permutation is held in memory, 4 bytes a point). */
  public static final int MAX_POINTS = 10_000_000;

  private final List<String> names;
  private final List<Domain> domains;
  private final int[] radices;
  private final int[] perm;

  public GridSearch(SearchSpace space, long seed) {
    this.names = space.names();
    this.domains = space.domains();
    this.radices = new int[domains.size()];
    for (int k = 0; k < domains.size(); k++) {
      Domain d = domains.get(k);
      if (d.gridSize() < 0) {
        throw new IllegalArgumentException(
            "grid search needs a finite set of values for every parameter, but '"
                + names.get(k)
                + "' is "
                + describe(d)
                + "; list its values, give it a step q (uniform, int_uniform),"
                + " or use method random, sobol or tpe");
      }
      radices[k] = d.gridSize();
    }
    long size = space.gridSize();
    if (size > MAX_POINTS) {
      throw new IllegalArgumentException(
          "the grid has "
              + (size == Long.MAX_VALUE ? "more than " + Long.MAX_VALUE : size)
              + " points, more than grid search enumerates ("
              + MAX_POINTS
              + "); use fewer values or method random, sobol or tpe");
    }
    perm = new int[(int) size];
    for (int i = 0; i < perm.length; i++) {
      perm[i] = i;
    }
    SplitMix64 rng = SplitMix64.forStream(seed, SplitMix64.GRID_SHUFFLE, 0);
    for (int i = perm.length - 1; i > 0; i--) {
      int j = rng.nextInt(i + 1);
      int t = perm[i];
      perm[i] = perm[j];
      perm[j] = t;
    }
  }

  /** Number of grid points (proposals before the grid is exhausted). */
  public int size() {
    return perm.length;
  }

  /** The grid index of proposal {@code proposalIndex}, 0 <= proposalIndex < size(). */
  public int gridIndex(int proposalIndex) {
    if (proposalIndex < 0 || proposalIndex >= perm.length) {
      throw new IndexOutOfBoundsException(
          "proposal " + proposalIndex + " outside a grid of " + perm.length + " points");
    }
    return perm[proposalIndex];
  }

  /**
   * The point with grid index {@code gridIndex} (mixed radix, first sorted name most significant).
   */
  public Point point(int gridIndex) {
    if (gridIndex < 0 || gridIndex >= perm.length) {
      throw new IndexOutOfBoundsException(
          "grid index " + gridIndex + " outside a grid of " + perm.length + " points");
    }
    Map<String, JsonNode> values = new TreeMap<>();
    int rest = gridIndex;
    for (int k = domains.size() - 1; k >= 0; k--) {
      values.put(names.get(k), domains.get(k).gridValue(rest % radices[k]));
      rest /= radices[k];
    }
    return new Point(values);
  }

  @Override
  public Optional<Point> propose(int index, List<Observation> completed) {
    if (index < 0) {
      throw new IllegalArgumentException("proposal index must be >= 0, got " + index);
    }
    return index < perm.length ? Optional.of(point(perm[index])) : Optional.empty();
  }

  private static String describe(Domain d) {
    return switch (d) {
      case Domain.Uniform u -> "uniform on [" + u.min() + ", " + u.max() + "] without a step q";
      case Domain.LogUniform l ->
          "log_uniform on [" + l.min() + ", " + l.max() + "] (grid search cannot enumerate it)";
      default -> "continuous";
    };
  }
}
