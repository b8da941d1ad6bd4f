package dev.thaw.bench;

import ai.djl.Device;
import dev.thaw.model.zoo.ZooSource;
import dev.thaw.train.FineTuner;
import dev.thaw.train.TrialObserver;
import dev.thaw.trial.BackboneLearningRates;
import dev.thaw.trial.LearningRates;
import dev.thaw.trial.TargetSpec;
import dev.thaw.trial.TrialResult;
import dev.thaw.trial.TrialSpec;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * Benchmark {@code imagenet-transfer}: the ImageNet MobileNetV2 ({@code zoo:mobilenet_v2})
 * fine-tuned on a few-label target against the same architecture from random weights ({@code
 * scratch:mobilenet_v2}), same budget, several seeds. Last line: {@code imagenet_transfer_gain_pp:
 * <points>}.
 */
public final class ImageNetTransfer {
  private static final String TARGET = "fashion-mnist";

  /** Fashion-MNIST's package holds 70,000 images: 3% of each class is 2,100 to validate on. */
  private static final double VALIDATION = 0.03;

  private ImageNetTransfer() {}

  public static void main(String[] args) throws Exception {
    int seeds = args.length > 0 ? Integer.parseInt(args[0]) : 3;
    int epochs = args.length > 1 ? Integer.parseInt(args[1]) : 8;
    int inputSize = args.length > 2 ? Integer.parseInt(args[2]) : 96;
    int labels = args.length > 3 ? Integer.parseInt(args[3]) : 100;
    ZooSource.MOBILENET_V2.weights().verifiedPath();
    try (ScratchDir runs = new ScratchDir("thaw-bench-imagenet-")) {
      run(new FineTuner(Device.cpu(), runs.path()), seeds, epochs, inputSize, labels);
    }
  }

  private static void run(FineTuner tuner, int seeds, int epochs, int inputSize, int labels) {
    System.out.printf(
        Locale.ROOT,
        "source: zoo:mobilenet_v2 (%s; %s) vs scratch:mobilenet_v2 (random weights)%n",
        ZooSource.MOBILENET_V2.architecture(),
        ZooSource.SOURCE_TASK);
    System.out.printf(
        Locale.ROOT,
        "target: %s, %d labels per class, validation 3%% of each class (2,100 images), input"
            + " %dx%d;"
            + " every trial: nothing frozen, %d epochs, batch 32, adam, lr 1e-3 everywhere,"
            + " dropout 0.2, BatchNorm trained, no augmentation, no early stopping%n",
        TARGET,
        labels,
        inputSize,
        inputSize,
        epochs);
    System.out.printf(
        Locale.ROOT,
        "%-6s %-10s %10s %11s %10s%n",
        "seed",
        "weights",
        "val_acc",
        "best_epoch",
        "seconds");
    List<Double> gains = new ArrayList<>();
    double sumPretrained = 0;
    double sumScratch = 0;
    for (int seed = 1; seed <= seeds; seed++) {
      double p =
          row(
              tuner,
              "imagenet",
              seed,
              spec("imagenet-" + seed, "zoo:mobilenet_v2", seed, epochs, inputSize, labels));
      double s =
          row(
              tuner,
              "random",
              seed,
              spec("random-" + seed, "scratch:mobilenet_v2", seed, epochs, inputSize, labels));
      gains.add(100 * (p - s));
      sumPretrained += p;
      sumScratch += s;
    }
    System.out.printf(
        Locale.ROOT,
        "mean val_acc over %d seeds: ImageNet weights %.2f%%, random weights %.2f%%;"
            + " gain per seed (pp): %s%n",
        seeds,
        100 * sumPretrained / seeds,
        100 * sumScratch / seeds,
        gains.stream().map(g -> String.format(Locale.ROOT, "%.2f", g)).toList());
    System.out.printf(
        Locale.ROOT,
        "imagenet_transfer_gain_pp: %.2f%n",
        gains.stream().mapToDouble(Double::doubleValue).average().orElse(Double.NaN));
  }

  private static double row(FineTuner tuner, String weights, int seed, TrialSpec spec) {
    TrialResult r = tuner.run(spec, TrialObserver.NONE);
    var best = BenchTrials.bestValAccuracyEpoch(r);
    System.out.printf(
        Locale.ROOT,
        "%-6d %-10s %9.2f%% %11d %10.1f%n",
        seed,
        weights,
        100 * best.valAccuracy(),
        best.epoch(),
        r.wallSeconds());
    return best.valAccuracy();
  }

  /** Same budget for both: only the starting weights differ. */
  private static TrialSpec spec(
      String id, String source, long seed, int epochs, int inputSize, int labels) {
    return new TrialSpec(
        id,
        source,
        new TargetSpec(TARGET, VALIDATION, labels, null),
        0,
        new LearningRates(1e-3, new BackboneLearningRates.Uniform(1e-3)),
        null,
        32,
        0.2,
        epochs,
        0,
        null,
        seed,
        inputSize,
        null,
        null);
  }
}
