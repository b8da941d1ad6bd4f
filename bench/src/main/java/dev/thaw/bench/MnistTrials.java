package dev.thaw.bench;

import dev.thaw.trial.BackboneLearningRates;
import dev.thaw.trial.LearningRates;
import dev.thaw.trial.TargetSpec;
import dev.thaw.trial.TrialSpec;

/** The benchmarks' small real trial on MNIST: batch 32, dropout 0.1, head 2e-3, backbone 1e-3. */
final class MnistTrials {
  private MnistTrials() {}

  /**
   * @param freezeDepth how many of the source's layer groups stay frozen
   * @param labels labelled images per class (a fifth of them held out for validation)
   */
  static TrialSpec spec(
      String id, String source, int freezeDepth, int labels, int epochs, long seed) {
    return new TrialSpec(
        id,
        source,
        new TargetSpec("mnist", 0.2, labels, null),
        freezeDepth,
        new LearningRates(2e-3, new BackboneLearningRates.Uniform(1e-3)),
        null,
        32,
        0.1,
        epochs,
        0,
        null,
        seed);
  }
}
