package dev.thaw.bench;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.IntNode;
import dev.thaw.sweep.search.Proposals;
import dev.thaw.sweep.search.SearchMethod;
import dev.thaw.sweep.search.SearchStrategy;
import dev.thaw.sweep.search.SearchStrategy.Observation;
import dev.thaw.sweep.space.Domain;
import dev.thaw.sweep.space.Point;
import dev.thaw.sweep.space.SearchSpace;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.SplittableRandom;

/**
 * Trials random, Sobol and TPE search need to come within 1% of the optimum of a synthetic
 * fine-tuning response surface, median over seeds. No training: the objective is a formula (see
 * {@link #accuracy(Point)} and bench/search-efficiency/README.md).
 *
 * <p>Usage: {@code SearchEfficiency [seeds=20] [max_trials=300]}.
 */
public final class SearchEfficiency {
  private static final double TOLERANCE = 0.01;
  private static final double NOISE_SD = 0.002;
  private static final List<Integer> BATCH_SIZES = List.of(16, 32, 64, 128);

  private SearchEfficiency() {}

  static SearchSpace space() {
    List<JsonNode> sizes = BATCH_SIZES.stream().map(b -> (JsonNode) IntNode.valueOf(b)).toList();
    return new SearchSpace(
        Map.of(
            "freeze_depth", new Domain.IntUniform(0, 4, null),
            "lr_head", new Domain.LogUniform(1e-4, 1e-1, null),
            "lr_backbone", new Domain.LogUniform(1e-6, 1e-2, null),
            "dropout", new Domain.Uniform(0.0, 0.5, null),
            "batch_size", new Domain.Categorical(sizes)));
  }

  /**
   * Noise-free validation accuracy of a configuration. freeze_depth counts frozen backbone groups
   * (of 4): fine-tuning one or two groups helps most, all four frozen leaves the backbone rate
   * without effect; a backbone rate far from 1e-4 loses the fine-tuning gain and, the more groups
   * train, the more accuracy (forgetting); the head rate has its optimum at 3e-3; dropout a mild
   * optimum at 0.2; batch size a small effect.
   */
  static double accuracy(
      double freezeDepth, double lrHead, double lrBackbone, double dropout, int batch) {
    int f = (int) freezeDepth;
    double trainable = (4 - f) / 4.0;
    double depthGain = new double[] {0.050, 0.070, 0.065, 0.045, 0.0}[f];
    double zh = (Math.log10(lrHead) + 2.5) / 1.5;
    double head = 0.12 * (1 - Math.exp(-0.5 * zh * zh));
    double zb = (Math.log10(lrBackbone) + 4.0) / 1.5;
    double backboneFit = Math.exp(-0.5 * zb * zb);
    double backbone = depthGain * backboneFit - trainable * 0.15 * (1 - backboneFit);
    double zd = (dropout - 0.2) / 0.3;
    double drop = 0.02 * zd * zd;
    double bs =
        switch (batch) {
          case 16 -> -0.004;
          case 32 -> 0.0;
          case 64 -> -0.002;
          default -> -0.010;
        };
    return 0.80 + backbone - head - drop + bs;
  }

  static double accuracy(Point p) {
    return accuracy(
        p.number("freeze_depth"),
        p.number("lr_head"),
        p.number("lr_backbone"),
        p.number("dropout"),
        p.get("batch_size").intValue());
  }

  /** The best accuracy on a dense grid (log rates every 1/80 decade, dropout every 0.005). */
  static double optimum() {
    double best = Double.NEGATIVE_INFINITY;
    for (int f = 0; f <= 4; f++) {
      for (int batch : BATCH_SIZES) {
        for (int h = 0; h <= 240; h++) {
          double lh = Math.pow(10, -4 + h / 80.0);
          for (int b = 0; b <= 320; b++) {
            double lb = Math.pow(10, -6 + b / 80.0);
            for (int d = 0; d <= 100; d++) {
              best = Math.max(best, accuracy(f, lh, lb, d * 0.005, batch));
            }
          }
        }
      }
    }
    return best;
  }

  /** Trials until a proposed configuration's true accuracy reaches {@code target}, or -1. */
  static int trialsToTarget(SearchMethod method, long seed, double target, int maxTrials) {
    SearchStrategy strategy = method.strategy(space(), seed);
    List<Observation> completed = new ArrayList<>();
    Set<String> seen = new HashSet<>();
    int next = 0;
    for (int trial = 1; trial <= maxTrials; trial++) {
      var batch = Proposals.nextIndexed(strategy, next, 1, seen, List.copyOf(completed), 1000);
      if (batch.isEmpty()) {
        return -1;
      }
      Point p = batch.get(0).point();
      next = batch.get(0).index() + 1;
      seen.add(p.hash());
      double truth = accuracy(p);
      if (truth >= target) {
        return trial;
      }
      double noise = new SplittableRandom(seed * 1_000_003L + trial).nextGaussian() * NOISE_SD;
      completed.add(new Observation(p, truth + noise));
    }
    return -1;
  }

  private static double median(int[] values) {
    int[] s = values.clone();
    Arrays.sort(s);
    int n = s.length;
    return n % 2 == 1 ? s[n / 2] : (s[n / 2 - 1] + s[n / 2]) / 2.0;
  }

  public static void main(String[] args) {
    int seeds = 20;
    int maxTrials = 300;
    for (String a : args) {
      String[] kv = a.split("=", 2);
      switch (kv[0]) {
        case "seeds" -> seeds = Integer.parseInt(kv[1]);
        case "max_trials" -> maxTrials = Integer.parseInt(kv[1]);
        default ->
            throw new IllegalArgumentException("unknown argument " + a + " (seeds=, max_trials=)");
      }
    }
    long start = System.nanoTime();
    double optimum = optimum();
    double target = (1 - TOLERANCE) * optimum;
    System.out.printf(
        Locale.ROOT,
        "optimum %.4f (dense grid), target %.4f (within %.0f%%), noise sd %.3f, %d seeds, at most %d trials%n",
        optimum,
        target,
        TOLERANCE * 100,
        NOISE_SD,
        seeds,
        maxTrials);
    System.out.printf(
        Locale.ROOT,
        "%-8s %8s %8s %8s %8s %8s%n",
        "method",
        "median",
        "p25",
        "p75",
        "best",
        "missed");
    Map<SearchMethod, Double> medians = new java.util.EnumMap<>(SearchMethod.class);
    for (SearchMethod m : List.of(SearchMethod.RANDOM, SearchMethod.SOBOL, SearchMethod.TPE)) {
      int[] trials = new int[seeds];
      int missed = 0;
      for (int s = 0; s < seeds; s++) {
        int t = trialsToTarget(m, s + 1, target, maxTrials);
        if (t < 0) {
          missed++;
          t = maxTrials + 1; // censored: counts as "more than max_trials"
        }
        trials[s] = t;
      }
      int[] sorted = trials.clone();
      Arrays.sort(sorted);
      double median = median(trials);
      medians.put(m, median);
      System.out.printf(
          Locale.ROOT,
          "%-8s %8s %8d %8d %8d %8d%n",
          m.key(),
          median > maxTrials ? ">" + maxTrials : String.format(Locale.ROOT, "%.1f", median),
          sorted[seeds / 4],
          sorted[(3 * seeds) / 4],
          sorted[0],
          missed);
    }
    System.out.printf(Locale.ROOT, "seconds: %.1f%n", (System.nanoTime() - start) / 1e9);
    System.out.printf(
        Locale.ROOT,
        "tpe_vs_random_trials: %.2f%n",
        medians.get(SearchMethod.TPE) / medians.get(SearchMethod.RANDOM));
  }
}
