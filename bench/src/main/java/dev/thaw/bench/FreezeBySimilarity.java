package dev.thaw.bench;

import ai.djl.Device;
import dev.thaw.train.FineTuner;
import dev.thaw.train.TrialObserver;
import dev.thaw.trial.EpochMetrics;
import dev.thaw.trial.TrialResult;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * Benchmark {@code freeze-by-similarity}: does a target closer to the source want more frozen
 * layers? The Fashion-MNIST[0-4] source model is fine-tuned on a near target (Fashion-MNIST classes
 * 5-9: the same kind of images, other garments) and a far one (MNIST digits) at every freeze depth
 * 0..n, with the same budget ({@link BenchTrials}) and a few labels per class, over several seeds.
 * Within a seed every depth sees the same split and the same labelled examples. A trial's figure is
 * its best epoch's validation accuracy; a target's best depth has the highest mean over seeds.
 *
 * <p>Last line: {@code best_depth_near_minus_far: <depths>}, the near target's best depth minus the
 * far target's (the claim says >= 1).
 *
 * <p>Arguments: {@code [seeds] [epochs] [labels per class]}.
 */
public final class FreezeBySimilarity {
  private static final int SEEDS = 3;
  private static final int EPOCHS = 10;
  private static final int LABELS_PER_CLASS = 100;

  /** A target and how close it is to the source. */
  private record Target(String role, String dataset, String why) {}

  private static final List<Target> TARGETS =
      List.of(
          new Target("near", "fashion-mnist[5-9]", "the source's other five garments"),
          new Target("far", "mnist", "handwritten digits"));

  private FreezeBySimilarity() {}

  public static void main(String[] args) throws Exception {
    int seeds = args.length > 0 ? positive("seeds", args[0]) : SEEDS;
    int epochs = args.length > 1 ? positive("epochs", args[1]) : EPOCHS;
    int labels = args.length > 2 ? positive("labels-per-class", args[2]) : LABELS_PER_CLASS;
    try (ScratchDir runs = new ScratchDir("thaw-bench-freeze.")) {
      FineTuner tuner = new FineTuner(Device.cpu(), runs.path());
      PretrainedSource source = PretrainedSource.ensure(tuner);
      int depths = source.groups() + 1;
      System.out.println(source.describe() + ", " + source.groups() + " layer groups");
      for (Target t : TARGETS) {
        System.out.printf(Locale.ROOT, "%s target: %s (%s)%n", t.role(), t.dataset(), t.why());
      }
      System.out.printf(
          Locale.ROOT,
          "every trial: %d labels per class, %d epochs, batch 32, adam, head 2e-3, backbone 1e-3,"
              + " dropout 0.1, early stopping off; freeze depths 0-%d, seeds 1-%d%n",
          labels,
          epochs,
          depths - 1,
          seeds);
      System.out.printf(
          Locale.ROOT,
          "%-5s %-7s %-6s %9s %11s %8s%n",
          "seed",
          "target",
          "depth",
          "val_acc",
          "best_epoch",
          "seconds");
      // accuracy[target][depth][seed - 1]
      double[][][] accuracy = new double[TARGETS.size()][depths][seeds];
      for (int seed = 1; seed <= seeds; seed++) {
        for (int t = 0; t < TARGETS.size(); t++) {
          Target target = TARGETS.get(t);
          for (int depth = 0; depth < depths; depth++) {
            TrialResult result =
                tuner.run(
                    BenchTrials.spec(
                        target.role() + "-d" + depth + "-s" + seed,
                        source.dir().toString(),
                        target.dataset(),
                        depth,
                        labels,
                        epochs,
                        seed),
                    TrialObserver.NONE);
            EpochMetrics best = BenchTrials.bestValAccuracyEpoch(result);
            accuracy[t][depth][seed - 1] = best.valAccuracy();
            System.out.printf(
                Locale.ROOT,
                "%-5d %-7s %-6d %8.2f%% %11d %8.1f%n",
                seed,
                target.role(),
                depth,
                100 * best.valAccuracy(),
                best.epoch(),
                result.wallSeconds());
          }
        }
      }
      List<List<DepthAccuracy>> byTarget = new ArrayList<>();
      for (int t = 0; t < TARGETS.size(); t++) {
        List<DepthAccuracy> byDepth = new ArrayList<>();
        for (int depth = 0; depth < depths; depth++) {
          byDepth.add(DepthAccuracy.of(depth, accuracy[t][depth]));
        }
        byTarget.add(byDepth);
      }
      printTable(byTarget, seeds);
      printBestBySeed(accuracy, seeds);
      int[] best = new int[TARGETS.size()];
      for (int t = 0; t < TARGETS.size(); t++) {
        best[t] = printBest(TARGETS.get(t), byTarget.get(t));
      }
      System.out.printf(Locale.ROOT, "best_depth_near_minus_far: %d%n", best[0] - best[1]);
    }
  }

  /** Mean, sample standard deviation and range over seeds, in per cent, by depth and target. */
  private static void printTable(List<List<DepthAccuracy>> byTarget, int seeds) {
    System.out.printf(
        Locale.ROOT, "best-epoch val_acc over %d seeds, %%: mean, sd, min-max%n", seeds);
    System.out.printf(Locale.ROOT, "%-6s", "depth");
    for (Target t : TARGETS) {
      System.out.printf(
          Locale.ROOT, " %10s %8s %13s", t.role() + "_mean", t.role() + "_sd", t.role() + "_range");
    }
    System.out.println();
    for (int depth = 0; depth < byTarget.get(0).size(); depth++) {
      System.out.printf(Locale.ROOT, "%-6d", depth);
      for (List<DepthAccuracy> byDepth : byTarget) {
        DepthAccuracy d = byDepth.get(depth);
        String range = String.format(Locale.ROOT, "%.2f-%.2f", 100 * d.min(), 100 * d.max());
        System.out.printf(Locale.ROOT, " %10.2f %8.2f %13s", 100 * d.mean(), 100 * d.sd(), range);
      }
      System.out.println();
    }
  }

  /**
   * Each seed's own best depth per target (same tie rule): how often the mean's winner also wins a
   * single seed.
   */
  private static void printBestBySeed(double[][][] accuracy, int seeds) {
    StringBuilder line = new StringBuilder("best depth of each seed:");
    for (int t = 0; t < TARGETS.size(); t++) {
      line.append(t == 0 ? " " : ", ").append(TARGETS.get(t).role());
      for (int seed = 0; seed < seeds; seed++) {
        List<DepthAccuracy> oneSeed = new ArrayList<>();
        for (int depth = 0; depth < accuracy[t].length; depth++) {
          oneSeed.add(DepthAccuracy.of(depth, new double[] {accuracy[t][depth][seed]}));
        }
        line.append(' ').append(DepthAccuracy.best(oneSeed).depth());
      }
    }
    System.out.println(line);
  }

  /** Prints a target's best depth and its margin over the runner-up; returns the depth. */
  private static int printBest(Target target, List<DepthAccuracy> byDepth) {
    DepthAccuracy best = DepthAccuracy.best(byDepth);
    DepthAccuracy next = DepthAccuracy.runnerUp(byDepth);
    System.out.printf(
        Locale.ROOT,
        "best depth, %s (%s): %d at %.2f%%, %.2f pp above the next (depth %d, %.2f%%)%n",
        target.role(),
        target.dataset(),
        best.depth(),
        100 * best.mean(),
        100 * (best.mean() - next.mean()),
        next.depth(),
        100 * next.mean());
    return best.depth();
  }

  private static int positive(String name, String value) {
    int n;
    try {
      n = Integer.parseInt(value);
    } catch (NumberFormatException e) {
      n = 0;
    }
    if (n < 1) {
      throw new IllegalArgumentException(name + " must be a whole number >= 1 (got " + value + ")");
    }
    return n;
  }
}
