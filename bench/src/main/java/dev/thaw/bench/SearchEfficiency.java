package dev.thaw.bench;

import static dev.thaw.trial.ParameterName.BATCH_SIZE;
import static dev.thaw.trial.ParameterName.DROPOUT;
import static dev.thaw.trial.ParameterName.FREEZE_DEPTH;
import static dev.thaw.trial.ParameterName.LR_BACKBONE;
import static dev.thaw.trial.ParameterName.LR_HEAD;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.DoubleNode;
import com.fasterxml.jackson.databind.node.IntNode;
import dev.thaw.sweep.search.Proposals;
import dev.thaw.sweep.search.SearchMethod;
import dev.thaw.sweep.search.SearchStrategy;
import dev.thaw.sweep.search.SearchStrategy.Observation;
import dev.thaw.sweep.space.Domain;
import dev.thaw.sweep.space.Point;
import dev.thaw.sweep.space.SearchSpace;
import java.io.IOException;
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
 * fine-tuning response surface, median over seeds, beside Optuna's TPE on the same surface ({@link
 * OptunaTpe}). No training: the objective is a formula (see {@link #accuracy(Point)} and
 * bench/search-efficiency/README.md).
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
            FREEZE_DEPTH.key(), new Domain.IntUniform(0, 4, null),
            LR_HEAD.key(), new Domain.LogUniform(1e-4, 1e-1, null),
            LR_BACKBONE.key(), new Domain.LogUniform(1e-6, 1e-2, null),
            DROPOUT.key(), new Domain.Uniform(0.0, 0.5, null),
            BATCH_SIZE.key(), new Domain.Categorical(sizes)));
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
        p.number(FREEZE_DEPTH.key()),
        p.number(LR_HEAD.key()),
        p.number(LR_BACKBONE.key()),
        p.number(DROPOUT.key()),
        p.get(BATCH_SIZE.key()).intValue());
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
      completed.add(new Observation(p, truth + noise(seed, trial)));
    }
    return -1;
  }

  /** The observation noise of a seed's trial: the same for every method, Optuna's included. */
  static double noise(long seed, int trial) {
    return new SplittableRandom(seed * 1_000_003L + trial).nextGaussian() * NOISE_SD;
  }

  /** Configurations spread over the space, to check that optuna_tpe.py's objective is this one. */
  static List<Point> objectiveChecks() {
    List<Point> points = new ArrayList<>();
    SplittableRandom r = new SplittableRandom(7);
    for (int i = 0; i < 12; i++) {
      points.add(
          new Point(
              Map.of(
                  "freeze_depth", IntNode.valueOf(i % 5),
                  "lr_head", DoubleNode.valueOf(Math.pow(10, -4 + 3 * r.nextDouble())),
                  "lr_backbone", DoubleNode.valueOf(Math.pow(10, -6 + 4 * r.nextDouble())),
                  "dropout", DoubleNode.valueOf(0.5 * r.nextDouble()),
                  "batch_size", IntNode.valueOf(BATCH_SIZES.get(i % BATCH_SIZES.size())))));
    }
    return points;
  }

  private static void printRow(String method, int[] trials, int missed, int maxTrials) {
    int seeds = trials.length;
    int[] sorted = trials.clone();
    Arrays.sort(sorted);
    double median = median(trials);
    System.out.printf(
        Locale.ROOT,
        "%-11s %8s %8d %8d %8d %8d%n",
        method,
        median > maxTrials ? ">" + maxTrials : String.format(Locale.ROOT, "%.1f", median),
        sorted[seeds / 4],
        sorted[(3 * seeds) / 4],
        sorted[0],
        missed);
  }

  private static double median(int[] values) {
    int[] s = values.clone();
    Arrays.sort(s);
    int n = s.length;
    return n % 2 == 1 ? s[n / 2] : (s[n / 2 - 1] + s[n / 2]) / 2.0;
  }

  public static void main(String[] args) throws IOException, InterruptedException {
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
        "%-11s %8s %8s %8s %8s %8s%n",
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
      medians.put(m, median(trials));
      printRow(m.key(), trials, missed, maxTrials);
    }
    List<Integer> seedList = java.util.stream.IntStream.rangeClosed(1, seeds).boxed().toList();
    OptunaTpe.Result optuna = OptunaTpe.run(seedList, target, maxTrials, objectiveChecks());
    int[] optunaTrials = new int[seeds];
    int optunaMissed = 0;
    for (int s = 0; s < seeds; s++) {
      int t = optuna.trialsBySeed().get(s + 1);
      if (t < 0) {
        optunaMissed++;
        t = maxTrials + 1;
      }
      optunaTrials[s] = t;
    }
    printRow("optuna-tpe", optunaTrials, optunaMissed, maxTrials);
    System.out.println("reference: Optuna " + optuna.version() + " TPESampler(seed=s), defaults");
    System.out.printf(Locale.ROOT, "seconds: %.1f%n", (System.nanoTime() - start) / 1e9);
    System.out.printf(
        Locale.ROOT,
        "tpe_vs_random_trials: %.2f%n",
        medians.get(SearchMethod.TPE) / medians.get(SearchMethod.RANDOM));
    System.out.printf(
        Locale.ROOT,
        "tpe_vs_optuna_trials: %.2f%n",
        medians.get(SearchMethod.TPE) / median(optunaTrials));
  }
}
