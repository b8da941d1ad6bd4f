package dev.thaw.sweep.search;

import dev.thaw.sweep.space.Domain;
import dev.thaw.sweep.space.Point;
import dev.thaw.sweep.space.SearchSpace;
import java.util.Arrays;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;
import org.apache.commons.math3.special.Erf;

/**
 * Tree-structured Parzen Estimator (Bergstra et al. 2011), univariate, in unit-cube coordinates.
 *
 * <p>Until {@code startupTrials} proposals have been made and as many trials have completed, it
 * proposes exactly what {@link RandomSearch} with the same seed would. After that it splits the
 * completed trials into the best {@code ceil(gamma n)} ("good", at least one) and the rest ("bad"),
 * fits one density per dimension to each group, {@code l} and {@code g}, draws {@code candidates}
 * points from {@code l} and proposes the one with the largest {@code l(x) / g(x)}.
 *
 * <p>Numeric dimensions (uniform, log-uniform, integer) use truncated Gaussian kernels on [0, 1] at
 * each trial's quantile ({@link Domain#toUnit}), bandwidth the larger gap to a neighbour clipped to
 * [1 / min(100, n + 1), 1] (hyperopt's rule), plus a uniform prior component of equal weight.
 * Categorical and fixed dimensions use category frequencies with one pseudo-count per category.
 * Each proposal draws from its own generator seeded from (seed, index), so proposals are a
 * deterministic function of the seed, the index and the completed trials.
 */
public final class TpeSearch implements SearchStrategy {
  public static final int DEFAULT_STARTUP_TRIALS = 10;
  public static final double DEFAULT_GAMMA = 0.25;
  public static final int DEFAULT_CANDIDATES = 24;

  private final SearchSpace space;
  private final List<String> names;
  private final List<Domain> domains;
  private final long seed;
  private final int startupTrials;
  private final double gamma;
  private final int candidates;
  private final RandomSearch startup;

  public TpeSearch(SearchSpace space, long seed) {
    this(space, seed, DEFAULT_STARTUP_TRIALS, DEFAULT_GAMMA, DEFAULT_CANDIDATES);
  }

  public TpeSearch(SearchSpace space, long seed, int startupTrials, double gamma, int candidates) {
    if (startupTrials < 1) {
      throw new IllegalArgumentException("startupTrials must be >= 1, got " + startupTrials);
    }
    if (!(gamma > 0 && gamma < 1)) {
      throw new IllegalArgumentException("gamma must be in (0, 1), got " + gamma);
    }
    if (candidates < 1) {
      throw new IllegalArgumentException("candidates must be >= 1, got " + candidates);
    }
    this.space = space;
    this.names = space.names();
    this.domains = space.domains();
    this.seed = seed;
    this.startupTrials = startupTrials;
    this.gamma = gamma;
    this.candidates = candidates;
    this.startup = new RandomSearch(space, seed);
  }

  /** Proposals made by random search before the model takes over (given enough results). */
  public int startupTrials() {
    return startupTrials;
  }

  @Override
  public Optional<Point> propose(int index, List<Observation> completed) {
    if (index < startupTrials || completed.size() < startupTrials) {
      return startup.propose(index, completed);
    }
    int n = completed.size();
    int d = domains.size();
    double[][] unit = new double[n][d];
    double[] objective = new double[n];
    for (int t = 0; t < n; t++) {
      Observation o = completed.get(t);
      double y = o.objective();
      objective[t] = Double.isNaN(y) ? Double.NEGATIVE_INFINITY : y;
      for (int k = 0; k < d; k++) {
        var value = o.point().get(names.get(k));
        if (value == null) {
          throw new IllegalArgumentException(
              "completed trial " + o.point() + " has no value for '" + names.get(k) + "'");
        }
        try {
          unit[t][k] = domains.get(k).toUnit(value);
        } catch (IllegalArgumentException e) {
          throw new IllegalArgumentException(
              "completed trial's '" + names.get(k) + "': " + e.getMessage(), e);
        }
      }
    }
    // Best first; ties keep completion order (the sort is stable).
    Integer[] order = new Integer[n];
    for (int t = 0; t < n; t++) {
      order[t] = t;
    }
    Arrays.sort(order, Comparator.comparingDouble((Integer t) -> objective[t]).reversed());
    int good = Math.max(1, Math.min(n, (int) Math.ceil(gamma * n)));

    Estimator[] l = new Estimator[d];
    Estimator[] g = new Estimator[d];
    for (int k = 0; k < d; k++) {
      double[] goodCoords = new double[good];
      double[] badCoords = new double[n - good];
      for (int r = 0; r < n; r++) {
        double u = unit[order[r]][k];
        if (r < good) {
          goodCoords[r] = u;
        } else {
          badCoords[r - good] = u;
        }
      }
      l[k] = estimator(domains.get(k), goodCoords);
      g[k] = estimator(domains.get(k), badCoords);
    }

    SplitMix64 rng = SplitMix64.forStream(seed, SplitMix64.TPE, index);
    double[] best = null;
    double bestScore = Double.NEGATIVE_INFINITY;
    for (int c = 0; c < candidates; c++) {
      double[] x = new double[d];
      double score = 0;
      for (int k = 0; k < d; k++) {
        x[k] = l[k].sample(rng);
        score += l[k].logDensity(x[k]) - g[k].logDensity(x[k]);
      }
      if (best == null || score > bestScore) {
        best = x;
        bestScore = score;
      }
    }
    return Optional.of(space.fromUnit(best));
  }

  private static Estimator estimator(Domain domain, double[] coords) {
    return switch (domain) {
      case Domain.Categorical c -> new CategoryFrequencies(c.values().size(), coords);
      case Domain.Fixed f -> new CategoryFrequencies(1, coords);
      default -> new Parzen(coords);
    };
  }

  /** A density on [0, 1) that can be sampled. */
  private interface Estimator {
    double sample(SplitMix64 rng);

    double logDensity(double u);
  }

  /** Category frequencies with a pseudo-count of one per category; samples are cell centres. */
  private static final class CategoryFrequencies implements Estimator {
    private final double[] logP;
    private final double[] cumulative;

    CategoryFrequencies(int k, double[] coords) {
      double[] weight = new double[k];
      Arrays.fill(weight, 1.0);
      for (double u : coords) {
        weight[cell(u, k)] += 1.0;
      }
      double total = k + coords.length;
      logP = new double[k];
      cumulative = new double[k];
      double sum = 0;
      for (int c = 0; c < k; c++) {
        logP[c] = Math.log(weight[c] / total);
        sum += weight[c] / total;
        cumulative[c] = sum;
      }
    }

    private static int cell(double u, int k) {
      return Math.max(0, Math.min(k - 1, (int) Math.floor(u * k)));
    }

    @Override
    public double sample(SplitMix64 rng) {
      double r = rng.nextDouble() * cumulative[cumulative.length - 1];
      int c = 0;
      while (c < cumulative.length - 1 && r >= cumulative[c]) {
        c++;
      }
      return (c + 0.5) / cumulative.length;
    }

    @Override
    public double logDensity(double u) {
      return logP[cell(u, logP.length)];
    }
  }

  /** Truncated Gaussian kernels on [0, 1] plus a uniform prior, all of equal weight. */
  private static final class Parzen implements Estimator {
    private static final double SQRT2 = Math.sqrt(2);
    private static final double LOG_SQRT_2PI = 0.5 * Math.log(2 * Math.PI);
    private static final double BELOW_ONE = Math.nextDown(1.0);

    private final double[] mu;
    private final double[] sigma;
    private final double[] cdfLow;
    private final double[] mass;
    private final double[] logNorm; // log(sigma * mass * sqrt(2 pi))
    private final double logWeight;

    Parzen(double[] coords) {
      int n = coords.length;
      mu = coords.clone();
      Arrays.sort(mu);
      sigma = new double[n];
      cdfLow = new double[n];
      mass = new double[n];
      logNorm = new double[n];
      double minSigma = 1.0 / Math.min(100, n + 1);
      for (int i = 0; i < n; i++) {
        double left = mu[i] - (i == 0 ? 0.0 : mu[i - 1]);
        double right = (i == n - 1 ? 1.0 : mu[i + 1]) - mu[i];
        sigma[i] = Math.max(minSigma, Math.min(1.0, Math.max(left, right)));
        cdfLow[i] = phi((0.0 - mu[i]) / sigma[i]);
        mass[i] = phi((1.0 - mu[i]) / sigma[i]) - cdfLow[i];
        logNorm[i] = Math.log(sigma[i] * mass[i]) + LOG_SQRT_2PI;
      }
      logWeight = -Math.log(n + 1);
    }

    private static double phi(double z) {
      return 0.5 * Erf.erfc(-z / SQRT2);
    }

    @Override
    public double sample(SplitMix64 rng) {
      int k = rng.nextInt(mu.length + 1);
      if (k == mu.length) {
        return rng.nextDouble();
      }
      double p = cdfLow[k] + rng.nextDouble() * mass[k];
      double z = -SQRT2 * Erf.erfcInv(2 * p);
      double x = mu[k] + sigma[k] * z;
      return Double.isFinite(x) ? Math.max(0.0, Math.min(BELOW_ONE, x)) : mu[k];
    }

    @Override
    public double logDensity(double u) {
      // log-sum-exp over the kernels and the prior (log density 0 on [0, 1]).
      double[] terms = new double[mu.length + 1];
      double max = 0.0;
      terms[mu.length] = 0.0;
      for (int i = 0; i < mu.length; i++) {
        double z = (u - mu[i]) / sigma[i];
        terms[i] = -0.5 * z * z - logNorm[i];
        max = Math.max(max, terms[i]);
      }
      double sum = 0;
      for (double t : terms) {
        sum += Math.exp(t - max);
      }
      return logWeight + max + Math.log(sum);
    }
  }

  @Override
  public String toString() {
    return "TpeSearch[startupTrials="
        + startupTrials
        + ", gamma="
        + gamma
        + ", candidates="
        + candidates
        + ", seed="
        + seed
        + "]";
  }
}
