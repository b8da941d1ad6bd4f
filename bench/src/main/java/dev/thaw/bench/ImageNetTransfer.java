package dev.thaw.bench;

import ai.djl.Device;
import dev.thaw.model.zoo.ZooSource;
import dev.thaw.train.FineTuner;
import dev.thaw.trial.BackboneLearningRates;
import dev.thaw.trial.LearningRates;
import dev.thaw.trial.TargetSpec;
import dev.thaw.trial.TrialSpec;
import java.util.Locale;

/**
 * Benchmark {@code imagenet-transfer}: the ImageNet MobileNetV2 ({@code zoo:mobilenet_v2})
 * fine-tuned on a few-label target against the same architecture from random weights ({@code
 * scratch:mobilenet_v2}), same data, epochs and batch size, several seeds. The pretrained network
 * runs twice: with Thaw's fine-tuning recipe (a head-only warm-up epoch, then discriminative rates)
 * and with exactly the scratch run's hyperparameters. Last line: {@code imagenet_transfer_gain_pp:
 * <points>}, the fine-tuning recipe against random weights.
 */
public final class ImageNetTransfer {
  private static final String TARGET = "fashion-mnist";

  /** Fashion-MNIST's package holds 70,000 images: 3% of each class is 2,100 to validate on. */
  private static final double VALIDATION = 0.03;

  /** The three ways a seed's trial starts and trains. */
  private enum Arm {
    /** ImageNet weights, 1 head-only epoch, then head 1e-3 and a backbone slice 1e-5..1e-3. */
    FINE_TUNE("imagenet", "fine-tune", "zoo:mobilenet_v2"),
    /** ImageNet weights, the scratch arm's hyperparameters. */
    SAME("imagenet", "as-scratch", "zoo:mobilenet_v2"),
    /** Random weights, Adam 1e-3 for every layer. */
    SCRATCH("random", "scratch", "scratch:mobilenet_v2");

    final String weights;
    final String recipe;
    final String source;

    Arm(String weights, String recipe, String source) {
      this.weights = weights;
      this.recipe = recipe;
      this.source = source;
    }

    TrialSpec spec(int seed, int epochs, int inputSize, int labels) {
      boolean fineTune = this == FINE_TUNE;
      BackboneLearningRates backbone =
          fineTune
              ? new BackboneLearningRates.Slice(1e-5, 1e-3)
              : new BackboneLearningRates.Uniform(1e-3);
      return TrialSpec.builder(source, new TargetSpec(TARGET, VALIDATION, labels, null))
          .id(recipe + "-" + seed)
          .freezeDepth(0)
          .learningRates(new LearningRates(1e-3, backbone))
          .batchSize(32)
          .dropout(0.2)
          .epochs(fineTune ? epochs - 1 : epochs)
          .warmupEpochs(fineTune ? 1 : 0)
          .seed((long) seed)
          .inputSize(inputSize)
          .build();
    }
  }

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
            + " %dx%d; every trial: %d epochs, nothing frozen, batch 32, adam, dropout 0.2,"
            + " BatchNorm trained, no augmentation, no early stopping%n",
        TARGET,
        labels,
        inputSize,
        inputSize,
        epochs);
    System.out.printf(
        Locale.ROOT,
        "recipes: fine-tune = 1 head-only epoch (head 1e-3), then head 1e-3 and backbone slice"
            + " 1e-5 (g0) .. 1e-3 (g8); as-scratch and scratch = 1e-3 for every layer from the"
            + " first epoch%n");
    System.out.printf(
        Locale.ROOT,
        "%-6s %-10s %-11s %10s %11s %10s%n",
        "seed",
        "weights",
        "recipe",
        "val_acc",
        "best_epoch",
        "seconds");
    double[][] acc = new double[Arm.values().length][seeds];
    for (int seed = 1; seed <= seeds; seed++) {
      for (Arm arm : Arm.values()) {
        acc[arm.ordinal()][seed - 1] =
            row(tuner, arm, seed, arm.spec(seed, epochs, inputSize, labels));
      }
    }
    double[] fineTuneGain =
        SeedGains.gains(acc[Arm.FINE_TUNE.ordinal()], acc[Arm.SCRATCH.ordinal()]);
    double[] sameGain = SeedGains.gains(acc[Arm.SAME.ordinal()], acc[Arm.SCRATCH.ordinal()]);
    System.out.printf(
        Locale.ROOT,
        "mean val_acc over %d seeds: imagenet fine-tune %.2f%%, imagenet as-scratch %.2f%%,"
            + " random %.2f%%%n",
        seeds,
        100 * SeedGains.mean(acc[Arm.FINE_TUNE.ordinal()]),
        100 * SeedGains.mean(acc[Arm.SAME.ordinal()]),
        100 * SeedGains.mean(acc[Arm.SCRATCH.ordinal()]));
    System.out.printf(
        Locale.ROOT,
        "gain over random weights per seed (pp): fine-tune %s (mean %.2f), as-scratch %s (mean"
            + " %.2f)%n",
        SeedGains.format(fineTuneGain),
        SeedGains.mean(fineTuneGain),
        SeedGains.format(sameGain),
        SeedGains.mean(sameGain));
    System.out.printf(
        Locale.ROOT, "imagenet_transfer_gain_pp: %.2f%n", SeedGains.mean(fineTuneGain));
  }

  private static double row(FineTuner tuner, Arm arm, int seed, TrialSpec spec) {
    return SeedGains.row(tuner, seed, arm.weights, arm.recipe, 11, spec);
  }
}
