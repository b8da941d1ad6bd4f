package dev.thaw.bench;

import ai.djl.Device;
import dev.thaw.model.zoo.ZooSource;
import dev.thaw.train.FineTuner;
import dev.thaw.trial.BackboneLearningRates;
import dev.thaw.trial.LearningRates;
import dev.thaw.trial.LrSchedule;
import dev.thaw.trial.OptimizerSpec;
import dev.thaw.trial.TargetSpec;
import dev.thaw.trial.TrialSpec;
import java.util.Locale;

/**
 * Benchmark {@code text-transfer} (issue 19): the pretrained MiniLM encoder ({@code zoo:minilm_l6})
 * fine-tuned the ULMFiT way on tweet-sentiment with few labels, against the same architecture from
 * random weights ({@code scratch:minilm_l6}) and against the frozen encoder with a trained head
 * (plus a fourth arm, the pretrained encoder with a warm-up and a slice but no gradual unfreezing);
 * same data, epochs and batch size, several seeds. Last lines: {@code finetune_vs_frozen_pp} and
 * {@code text_transfer_gain_pp} (fine-tuned minus scratch; goal >= 15).
 */
public final class TextTransfer {
  private static final String TARGET = "tweet-sentiment";

  /** 2% of each class of 38,158 tweets: 763 to validate on. */
  private static final double VALIDATION = 0.02;

  private static final int MAX_LENGTH = 64;

  /** The three ways a seed's trial starts and trains. */
  private enum Arm {
    /**
     * Pretrained: a head-only epoch, then gradual unfreezing (one group per epoch), a slice
     * 1e-5..1e-4 under STLR.
     */
    FINE_TUNE("pretrained", "ulmfit", "zoo:minilm_l6"),
    /**
     * Pretrained: a head-only epoch, then every group at once, a slice 3e-5..3e-4 under STLR (the
     * best pretrained recipe of a one-trial tuning probe on another seed).
     */
    WARMUP_SLICE("pretrained", "warmup-slice", "zoo:minilm_l6"),
    /** Pretrained, every group frozen: the head alone learns. */
    FROZEN("pretrained", "frozen", "zoo:minilm_l6"),
    /**
     * Random weights, every group trained from the start at 3e-4 under STLR (the probe's rate for
     * it; 1e-4 until 2026-12-08).
     */
    SCRATCH("random", "scratch", "scratch:minilm_l6");

    final String weights;
    final String recipe;
    final String source;

    Arm(String weights, String recipe, String source) {
      this.weights = weights;
      this.recipe = recipe;
      this.source = source;
    }

    TrialSpec spec(int seed, int epochs, int labels) {
      TargetSpec target =
          new TargetSpec(TARGET, VALIDATION, labels, null).withMaxLength(MAX_LENGTH);
      var b =
          TrialSpec.builder(source, target)
              .id(recipe + "-" + seed)
              .optimizer(new OptimizerSpec(OptimizerSpec.Name.ADAMW, null, 0.01))
              .batchSize(16)
              .dropout(0.1)
              .seed((long) seed)
              .lrSchedule(LrSchedule.STLR);
      return switch (this) {
        case FINE_TUNE ->
            b.freezeDepth(0)
                .learningRates(new LearningRates(2e-3, new BackboneLearningRates.Slice(1e-5, 1e-4)))
                .warmupEpochs(1)
                .epochs(epochs - 1)
                .unfreezeEvery(1)
                .build();
        case WARMUP_SLICE ->
            b.freezeDepth(0)
                .learningRates(new LearningRates(2e-3, new BackboneLearningRates.Slice(3e-5, 3e-4)))
                .warmupEpochs(1)
                .epochs(epochs - 1)
                .build();
        case FROZEN ->
            b.freezeDepth(7)
                .learningRates(new LearningRates(2e-3, null))
                .epochs(epochs)
                .lrSchedule(LrSchedule.CONSTANT)
                .build();
        case SCRATCH ->
            b.freezeDepth(0)
                .learningRates(new LearningRates(1e-3, new BackboneLearningRates.Uniform(3e-4)))
                .epochs(epochs)
                .build();
      };
    }
  }

  private TextTransfer() {}

  public static void main(String[] args) throws Exception {
    int seeds = args.length > 0 ? Integer.parseInt(args[0]) : 3;
    int epochs = args.length > 1 ? Integer.parseInt(args[1]) : 8;
    int labels = args.length > 2 ? Integer.parseInt(args[2]) : 100;
    ZooSource.MINILM_L6.weights().verifiedPath();
    try (ScratchDir runs = new ScratchDir("thaw-bench-text-")) {
      run(new FineTuner(Device.cpu(), runs.path()), seeds, epochs, labels);
    }
  }

  private static void run(FineTuner tuner, int seeds, int epochs, int labels) {
    System.out.printf(
        Locale.ROOT,
        "source: zoo:minilm_l6 (%s; %s) vs scratch:minilm_l6 (random weights)%n",
        ZooSource.MINILM_L6.architecture(),
        ZooSource.MINILM_L6.sourceTask());
    System.out.printf(
        Locale.ROOT,
        "target: %s, %d labels per class, validation 2%% of each class (763 tweets), %d tokens;"
            + " every trial: %d epochs, batch 16, adamw (weight decay 0.01), dropout 0.1, no"
            + " early stopping%n",
        TARGET,
        labels,
        MAX_LENGTH,
        epochs);
    System.out.printf(
        Locale.ROOT,
        "recipes: ulmfit = 1 head-only epoch, then one more group from the top each epoch,"
            + " head 2e-3, slice 1e-5 (g0) .. 1e-4 (g6), STLR; warmup-slice = 1 head-only epoch,"
            + " then every group, slice 3e-5 .. 3e-4, STLR; frozen = head 2e-3 only, constant;"
            + " scratch = head 1e-3, every group 3e-4, STLR%n");
    System.out.printf(
        Locale.ROOT,
        "%-6s %-10s %-12s %10s %11s %10s%n",
        "seed",
        "weights",
        "recipe",
        "val_acc",
        "best_epoch",
        "seconds");
    double[][] acc = new double[Arm.values().length][seeds];
    for (int seed = 1; seed <= seeds; seed++) {
      for (Arm arm : Arm.values()) {
        acc[arm.ordinal()][seed - 1] = row(tuner, arm, seed, arm.spec(seed, epochs, labels));
      }
    }
    double[] vsScratch = SeedGains.gains(acc[Arm.FINE_TUNE.ordinal()], acc[Arm.SCRATCH.ordinal()]);
    double[] vsFrozen = SeedGains.gains(acc[Arm.FINE_TUNE.ordinal()], acc[Arm.FROZEN.ordinal()]);
    double[] sliceVsScratch =
        SeedGains.gains(acc[Arm.WARMUP_SLICE.ordinal()], acc[Arm.SCRATCH.ordinal()]);
    System.out.printf(
        Locale.ROOT,
        "mean val_acc over %d seeds: ulmfit %.2f%%, warmup-slice %.2f%%, frozen %.2f%%,"
            + " scratch %.2f%%%n",
        seeds,
        100 * SeedGains.mean(acc[Arm.FINE_TUNE.ordinal()]),
        100 * SeedGains.mean(acc[Arm.WARMUP_SLICE.ordinal()]),
        100 * SeedGains.mean(acc[Arm.FROZEN.ordinal()]),
        100 * SeedGains.mean(acc[Arm.SCRATCH.ordinal()]));
    System.out.printf(
        Locale.ROOT,
        "per seed (pp): ulmfit - frozen %s, ulmfit - scratch %s, warmup-slice - scratch %s%n",
        SeedGains.format(vsFrozen),
        SeedGains.format(vsScratch),
        SeedGains.format(sliceVsScratch));
    System.out.printf(
        Locale.ROOT, "warmup_slice_vs_scratch_pp: %.2f%n", SeedGains.mean(sliceVsScratch));
    System.out.printf(Locale.ROOT, "finetune_vs_frozen_pp: %.2f%n", SeedGains.mean(vsFrozen));
    System.out.printf(Locale.ROOT, "text_transfer_gain_pp: %.2f%n", SeedGains.mean(vsScratch));
  }

  private static double row(FineTuner tuner, Arm arm, int seed, TrialSpec spec) {
    return SeedGains.row(tuner, seed, arm.weights, arm.recipe, 12, spec);
  }
}
