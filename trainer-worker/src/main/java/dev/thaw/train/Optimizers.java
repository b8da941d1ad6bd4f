package dev.thaw.train;

import ai.djl.training.optimizer.Optimizer;
import ai.djl.training.tracker.ParameterTracker;
import dev.thaw.trial.OptimizerSpec;

/** Builds the DJL optimizer a trial asks for, with per-parameter learning rates. */
final class Optimizers {
  private Optimizers() {}

  static Optimizer create(OptimizerSpec spec, ParameterTracker rates) {
    float wd = spec.weightDecay().floatValue();
    return switch (spec.name()) {
      case ADAM -> Optimizer.adam().optLearningRateTracker(rates).optWeightDecays(wd).build();
      case ADAMW -> Optimizer.adamW().optLearningRateTracker(rates).optWeightDecays(wd).build();
      case SGD ->
          Optimizer.sgd()
              .setLearningRateTracker(rates)
              .optMomentum(spec.momentum().floatValue())
              .optWeightDecays(wd)
              .build();
    };
  }
}
