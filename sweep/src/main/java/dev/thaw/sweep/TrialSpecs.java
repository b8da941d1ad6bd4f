package dev.thaw.sweep;

import static dev.thaw.sweep.ParameterCodec.integer;
import static dev.thaw.sweep.ParameterCodec.number;
import static dev.thaw.sweep.ParameterCodec.sets;
import static dev.thaw.sweep.ParameterCodec.word;
import static dev.thaw.trial.ParameterName.AUGMENTATION;
import static dev.thaw.trial.ParameterName.BATCH_NORM;
import static dev.thaw.trial.ParameterName.BATCH_SIZE;
import static dev.thaw.trial.ParameterName.DROPOUT;
import static dev.thaw.trial.ParameterName.EPOCHS;
import static dev.thaw.trial.ParameterName.INPUT_SIZE;
import static dev.thaw.trial.ParameterName.LR_BACKBONE;
import static dev.thaw.trial.ParameterName.LR_HEAD;
import static dev.thaw.trial.ParameterName.LR_SCHEDULE;
import static dev.thaw.trial.ParameterName.MOMENTUM;
import static dev.thaw.trial.ParameterName.OPTIMIZER;
import static dev.thaw.trial.ParameterName.UNFREEZE_EVERY;
import static dev.thaw.trial.ParameterName.WARMUP_EPOCHS;
import static dev.thaw.trial.ParameterName.WEIGHT_DECAY;

import dev.thaw.sweep.space.Point;
import dev.thaw.trial.Augmentation;
import dev.thaw.trial.BatchNormMode;
import dev.thaw.trial.LearningRates;
import dev.thaw.trial.LrSchedule;
import dev.thaw.trial.OptimizerSpec;
import dev.thaw.trial.TargetSpec;
import dev.thaw.trial.TrialSpec;

/**
 * Turns one point of a sweep's search space into the trainer's {@link TrialSpec}; the point's
 * values are read by their keys through {@link ParameterCodec}.
 */
public final class TrialSpecs {
  private TrialSpecs() {}

  /**
   * Resolves a point into a trial. Parameters the sweep does not set take the trial defaults.
   *
   * @param sweep the (valid) sweep the point belongs to; gives the task and early stopping
   * @param point one value per dimension of {@link SweepSpec#searchSpace()}
   * @param groups the source model's layer-group count n ({@code freeze_depth: all} means n)
   * @param trialId the trial's id
   * @param seed the trial's seed (the caller derives it, e.g. sweep seed + trial index); it seeds
   *     shuffling, the head's initialisation and dropout, while the train/validation split follows
   *     the sweep's seed, so every trial of a sweep validates on the same examples
   * @return the trial, ready for a worker
   */
  public static TrialSpec toTrialSpec(
      SweepSpec sweep, Point point, int groups, String trialId, long seed) {
    Double head = number(point, LR_HEAD);
    LearningRates rates =
        head == null && !sets(point, LR_BACKBONE)
            ? null
            : new LearningRates(head, ParameterCodec.backbone(point));
    OptimizerSpec optimizer = null;
    OptimizerSpec.Name name = word(point, OPTIMIZER, OptimizerSpec.Name::parse);
    Double momentum = number(point, MOMENTUM);
    Double weightDecay = number(point, WEIGHT_DECAY);
    if (name != null || momentum != null || weightDecay != null) {
      optimizer = new OptimizerSpec(name, momentum, weightDecay);
    }
    TargetSpec target = sweep.task().target();
    if (target != null && target.splitSeed() == null) {
      target = target.withSplitSeed(sweep.seed());
    }
    return TrialSpec.builder(sweep.task().sourceModel(), target)
        .id(trialId)
        .freezeDepth(ParameterCodec.freezeDepth(point, groups))
        .learningRates(rates)
        .optimizer(optimizer)
        .batchSize(integer(point, BATCH_SIZE))
        .dropout(number(point, DROPOUT))
        .epochs(integer(point, EPOCHS))
        .warmupEpochs(integer(point, WARMUP_EPOCHS))
        .earlyStopping(sweep.earlyStopping())
        .seed(seed)
        .inputSize(integer(point, INPUT_SIZE))
        .augmentation(word(point, AUGMENTATION, Augmentation::parse))
        .batchNorm(word(point, BATCH_NORM, BatchNormMode::parse))
        .unfreezeEvery(integer(point, UNFREEZE_EVERY))
        .lrSchedule(word(point, LR_SCHEDULE, LrSchedule::parse))
        .build();
  }
}
