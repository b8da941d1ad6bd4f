package dev.thaw.sweep;

import com.fasterxml.jackson.databind.JsonNode;
import dev.thaw.sweep.space.Point;
import dev.thaw.trial.Augmentation;
import dev.thaw.trial.BackboneLearningRates;
import dev.thaw.trial.BatchNormMode;
import dev.thaw.trial.LearningRates;
import dev.thaw.trial.OptimizerSpec;
import dev.thaw.trial.TargetSpec;
import dev.thaw.trial.TrialSpec;
import java.util.ArrayList;
import java.util.List;

/** Turns one point of a sweep's search space into the trainer's {@link TrialSpec}. */
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
    Integer freezeDepth = null;
    JsonNode fd = point.get("freeze_depth");
    if (fd != null) {
      freezeDepth = fd.isTextual() && fd.asText().equals("all") ? groups : fd.intValue();
    }
    Double head = number(point, "lr_head");
    LearningRates rates =
        head == null && !hasBackbone(point) ? null : new LearningRates(head, backbone(point));
    OptimizerSpec optimizer = null;
    JsonNode name = point.get("optimizer");
    Double momentum = number(point, "momentum");
    Double weightDecay = number(point, "weight_decay");
    if (name != null || momentum != null || weightDecay != null) {
      optimizer =
          new OptimizerSpec(
              name == null ? null : OptimizerSpec.Name.parse(name.asText()), momentum, weightDecay);
    }
    TargetSpec target = sweep.task().target();
    if (target != null && target.splitSeed() == null) {
      target = target.withSplitSeed(sweep.seed());
    }
    return new TrialSpec(
        trialId,
        sweep.task().sourceModel(),
        target,
        freezeDepth,
        rates,
        optimizer,
        integer(point, "batch_size"),
        number(point, "dropout"),
        integer(point, "epochs"),
        integer(point, "warmup_epochs"),
        sweep.earlyStopping(),
        seed,
        integer(point, "input_size"),
        word(point, "augmentation", Augmentation::parse),
        word(point, "batch_norm", BatchNormMode::parse));
  }

  private static <T> T word(
      Point point, String name, java.util.function.Function<String, T> parse) {
    JsonNode v = point.get(name);
    return v == null ? null : parse.apply(v.asText());
  }

  private static boolean hasBackbone(Point point) {
    return point.values().keySet().stream()
        .anyMatch(k -> k.equals("lr_backbone") || k.startsWith("lr_backbone."));
  }

  private static BackboneLearningRates backbone(Point point) {
    if (point.get("lr_backbone") != null) {
      return new BackboneLearningRates.Uniform(point.number("lr_backbone"));
    }
    if (point.get("lr_backbone.slice.lo") != null) {
      return new BackboneLearningRates.Slice(
          point.number("lr_backbone.slice.lo"), point.number("lr_backbone.slice.hi"));
    }
    JsonNode perGroup = point.get("lr_backbone.per_group");
    if (perGroup != null) {
      List<Double> rates = new ArrayList<>();
      perGroup.forEach(r -> rates.add(r.doubleValue()));
      return new BackboneLearningRates.PerGroup(rates);
    }
    if (point.get("lr_backbone.decay") != null) {
      return new BackboneLearningRates.Decay(
          point.number("lr_backbone.decay"), number(point, "lr_backbone.top"));
    }
    return null;
  }

  private static Double number(Point point, String name) {
    return point.get(name) == null ? null : point.number(name);
  }

  private static Integer integer(Point point, String name) {
    JsonNode v = point.get(name);
    return v == null ? null : v.intValue();
  }
}
