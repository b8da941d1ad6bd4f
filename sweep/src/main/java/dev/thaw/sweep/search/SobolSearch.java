package dev.thaw.sweep.search;

import dev.thaw.sweep.space.Domain;
import dev.thaw.sweep.space.Point;
import dev.thaw.sweep.space.SearchSpace;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.apache.commons.math3.random.SobolSequenceGenerator;

/**
 * Quasi-random coverage: a Sobol sequence (Commons Math, Joe-Kuo direction numbers) over the
 * dimensions that vary, mapped through each dimension's inverse CDF.
 *
 * <p>Proposal {@code i} is sequence element {@code i + 1} (the first element is the all-zeros
 * corner), shifted by a seeded random vector modulo 1 (a Cranley-Patterson rotation), so different
 * seeds give different but equally even point sets. Fixed dimensions take no coordinate. Proposal
 * {@code i} does not depend on earlier calls: the generator jumps with {@link #skipTo(int)} when
 * called out of order. Never exhausted.
 */
public final class SobolSearch implements SearchStrategy {

  /** Most varying dimensions Commons Math's bundled direction numbers support. */
  public static final int MAX_DIMENSIONS = 1000;

  private final SearchSpace space;
  private final int[] varying;
  private final double[] shift;
  private final SobolSequenceGenerator generator;

  public SobolSearch(SearchSpace space, long seed) {
    this.space = space;
    List<Domain> domains = space.domains();
    List<Integer> axes = new ArrayList<>();
    for (int k = 0; k < domains.size(); k++) {
      if (!(domains.get(k) instanceof Domain.Fixed)) {
        axes.add(k);
      }
    }
    if (axes.size() > MAX_DIMENSIONS) {
      throw new IllegalArgumentException(
          "sobol search supports at most "
              + MAX_DIMENSIONS
              + " varying parameters, this space has "
              + axes.size()
              + "; use method random or tpe");
    }
    this.varying = axes.stream().mapToInt(Integer::intValue).toArray();
    this.shift = new double[varying.length];
    SplitMix64 rng = SplitMix64.forStream(seed, SplitMix64.SOBOL_SHIFT, 0);
    for (int j = 0; j < shift.length; j++) {
      shift[j] = rng.nextDouble();
    }
    this.generator = varying.length == 0 ? null : new SobolSequenceGenerator(varying.length);
  }

  @Override
  public Optional<Point> propose(int index, List<Observation> completed) {
    return Optional.of(space.fromUnit(unit(index)));
  }

  /**
   * Positions the sequence so that proposing {@code index} next costs one step (for a resumed
   * sweep); {@link #propose} does this itself when needed.
   */
  public synchronized void skipTo(int index) {
    checkIndex(index);
    if (generator != null && generator.getNextIndex() != index + 1) {
      generator.skipTo(index);
    }
  }

  /** Unit-cube coordinates of proposal {@code index}, in axis order (fixed dimensions 0.5). */
  synchronized double[] unit(int index) {
    checkIndex(index);
    double[] u = new double[space.dimensions().size()];
    java.util.Arrays.fill(u, 0.5);
    if (generator == null) {
      return u;
    }
    int element = index + 1;
    double[] x =
        generator.getNextIndex() == element ? generator.nextVector() : generator.skipTo(element);
    for (int j = 0; j < varying.length; j++) {
      double v = x[j] + shift[j];
      u[varying[j]] = v >= 1.0 ? v - 1.0 : v;
    }
    return u;
  }

  private static void checkIndex(int index) {
    if (index < 0 || index == Integer.MAX_VALUE) {
      throw new IllegalArgumentException(
          "proposal index must be in [0, " + (Integer.MAX_VALUE - 1) + "), got " + index);
    }
  }
}
