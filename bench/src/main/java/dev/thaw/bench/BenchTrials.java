package dev.thaw.bench;

import dev.thaw.trial.BackboneLearningRates;
import dev.thaw.trial.EpochMetrics;
import dev.thaw.trial.LearningRates;
import dev.thaw.trial.TargetSpec;
import dev.thaw.trial.TrialResult;
import dev.thaw.trial.TrialSpec;
import java.util.Comparator;

/**
 * The benchmarks' small real trial: batch 32, dropout 0.1, Adam, head 2e-3, backbone 1e-3, no
 * warm-up, no early stopping; and how a benchmark scores it.
 */
final class BenchTrials {
  private BenchTrials() {}

  /**
   * @param dataset the target, a built-in name with an optional class subset ({@code mnist}, {@code
   *     fashion-mnist[5-9]})
   * @param freezeDepth how many of the source's layer groups stay frozen
   * @param labels labelled training images per class (a fifth of each class is held out for
   *     validation before the budget is applied)
   */
  static TrialSpec spec(
      String id,
      String source,
      String dataset,
      int freezeDepth,
      int labels,
      int epochs,
      long seed) {
    return TrialSpec.builder(source, new TargetSpec(dataset, 0.2, labels, null))
        .id(id)
        .freezeDepth(freezeDepth)
        .learningRates(new LearningRates(2e-3, new BackboneLearningRates.Uniform(1e-3)))
        .batchSize(32)
        .dropout(0.1)
        .epochs(epochs)
        .warmupEpochs(0)
        .seed(seed)
        .build();
  }

  /**
   * The best epoch's validation accuracy. Without early stopping the trainer picks its best epoch
   * by validation loss; the benchmarks compare accuracy, so they take the best one over all epochs.
   */
  static double bestValAccuracy(TrialResult result) {
    return bestValAccuracyEpoch(result).valAccuracy();
  }

  /** The epoch with the highest validation accuracy (the first of equals). */
  static EpochMetrics bestValAccuracyEpoch(TrialResult result) {
    return result.epochs().stream()
        .max(Comparator.comparingDouble(EpochMetrics::valAccuracy))
        .orElseThrow(() -> new IllegalStateException(result.trialId() + " ran no epoch"));
  }
}
