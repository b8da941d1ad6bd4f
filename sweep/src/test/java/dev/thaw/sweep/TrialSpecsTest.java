package dev.thaw.sweep;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;

import com.fasterxml.jackson.databind.JsonNode;
import dev.thaw.sweep.space.Domain;
import dev.thaw.sweep.space.Point;
import dev.thaw.sweep.space.SearchSpace;
import dev.thaw.trial.BackboneLearningRates;
import dev.thaw.trial.FreezeDepth;
import dev.thaw.trial.LearningRates;
import dev.thaw.trial.Metric;
import dev.thaw.trial.OptimizerSpec;
import dev.thaw.trial.TrialSpec;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

class TrialSpecsTest {

  static SweepSpec sweep(String parameters) {
    String yaml =
        """
        name: t
        objective: {metric: val_loss}
        method: random
        max_trials: 4
        early_stopping: {monitor: val_accuracy, patience: 2}
        task:
          source_model: scratch:thaw-cnn
          target: {dataset: mnist, labels_per_class: 100}
        parameters:
        """
            + parameters.indent(2);
    List<SweepError> errors = SweepValidator.withGroups(4).validate(yaml);
    assertEquals(List.of(), errors);
    return SweepLoader.load(yaml).spec();
  }

  /** The point at the middle of every dimension (first value of lists). */
  static Point middle(SweepSpec sweep) {
    SearchSpace space = sweep.searchSpace();
    Map<String, JsonNode> values = new TreeMap<>();
    space
        .dimensions()
        .forEach((k, d) -> values.put(k, d.fromUnit(d instanceof Domain.Categorical ? 0 : 0.5)));
    return new Point(values);
  }

  static Stream<Arguments> backboneForms() {
    return Stream.of(
        Arguments.of(
            "lr_backbone: {value: 2.0e-4}",
            List.of("lr_backbone"),
            new BackboneLearningRates.Uniform(2e-4)),
        Arguments.of(
            "lr_backbone: {slice: [1.0e-5, 1.0e-3]}",
            List.of("lr_backbone.slice.hi", "lr_backbone.slice.lo"),
            new BackboneLearningRates.Slice(1e-5, 1e-3)),
        Arguments.of(
            "lr_backbone: {slice: {lo: {values: [1.0e-6, 1.0e-5]}, hi: {value: 1.0e-3}}}",
            List.of("lr_backbone.slice.hi", "lr_backbone.slice.lo"),
            new BackboneLearningRates.Slice(1e-6, 1e-3)),
        Arguments.of(
            "lr_backbone: {per_group: [1.0e-5, 2.0e-5, 1.0e-4, 2.0e-4]}",
            List.of("lr_backbone.per_group"),
            new BackboneLearningRates.PerGroup(List.of(1e-5, 2e-5, 1e-4, 2e-4))),
        Arguments.of(
            "lr_backbone: {decay: 2.6}",
            List.of("lr_backbone.decay"),
            new BackboneLearningRates.Decay(2.6, null)),
        Arguments.of(
            "lr_backbone: {decay: {distribution: uniform, min: 2.0, max: 3.0}, top: 1.0e-3}",
            List.of("lr_backbone.decay", "lr_backbone.top"),
            new BackboneLearningRates.Decay(2.5, 1e-3)));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("backboneForms")
  void everyBackboneFormMapsToTheTrainersType(
      String parameter, List<String> dimensions, BackboneLearningRates expected) {
    SweepSpec sweep = sweep(parameter);
    assertEquals(dimensions, sweep.searchSpace().names());
    TrialSpec trial = TrialSpecs.toTrialSpec(sweep, middle(sweep), 4, "t-0", 5);
    assertEquals(expected, trial.learningRates().backbone());
    assertEquals(1e-3, trial.learningRates().head()); // the trial default
  }

  @Test
  void theUlmfitKeysReachTheTrial() {
    SweepSpec sweep =
        sweep(
            "unfreeze_every: {values: [2, 1]}\nlr_schedule: {values: [stlr, one_cycle]}\n"
                + "lr_backbone: {decay: 2.6}");
    TrialSpec trial = TrialSpecs.toTrialSpec(sweep, middle(sweep), 4, "t-0", 0);
    assertEquals(2, trial.unfreezeEvery());
    assertEquals(dev.thaw.trial.LrSchedule.STLR, trial.lrSchedule());
    SweepSpec other = sweep("epochs: {value: 2}");
    TrialSpec plain = TrialSpecs.toTrialSpec(other, middle(other), 4, "t", 0);
    assertEquals(null, plain.unfreezeEvery());
    assertEquals(null, plain.lrSchedule());
  }

  @Test
  void freezeDepthAllMeansEveryGroup() {
    SweepSpec sweep = sweep("freeze_depth: {values: [all, 1]}");
    TrialSpec trial = TrialSpecs.toTrialSpec(sweep, middle(sweep), 4, "t-0", 0);
    assertEquals(FreezeDepth.of(4), trial.freezeDepth());
    trial =
        TrialSpecs.toTrialSpec(
            sweep,
            new Point(
                Map.of(
                    "freeze_depth",
                    sweep.searchSpace().dimensions().get("freeze_depth").gridValue(1))),
            4,
            "t-1",
            0);
    assertEquals(FreezeDepth.of(1), trial.freezeDepth());
  }

  @Test
  void everyParameterReachesTheTrialAndTheRestTakeTrialDefaults() {
    SweepSpec sweep =
        sweep(
            """
            lr_head: {value: 3.0e-3}
            optimizer: {value: sgd}
            momentum: {value: 0.8}
            weight_decay: {value: 0.001}
            batch_size: {value: 16}
            dropout: {value: 0.25}
            epochs: {value: 7}
            warmup_epochs: {value: 1}
            """);
    TrialSpec trial = TrialSpecs.toTrialSpec(sweep, middle(sweep), 4, "sweep-t-3", 45);
    assertEquals("sweep-t-3", trial.id());
    assertEquals("scratch:thaw-cnn", trial.sourceModel());
    assertEquals("mnist", trial.target().dataset());
    assertEquals(100, trial.target().labelsPerClass());
    assertEquals(3e-3, trial.learningRates().head());
    assertEquals(new BackboneLearningRates.Uniform(1e-4), trial.learningRates().backbone());
    assertEquals(new OptimizerSpec(OptimizerSpec.Name.SGD, 0.8, 0.001), trial.optimizer());
    assertEquals(16, trial.batchSize());
    assertEquals(0.25, trial.dropout());
    assertEquals(7, trial.epochs());
    assertEquals(1, trial.warmupEpochs());
    assertEquals(FreezeDepth.of(0), trial.freezeDepth());
    assertEquals(Metric.VAL_ACCURACY, trial.earlyStopping().monitor());
    assertEquals(2, trial.earlyStopping().patience());
    assertEquals(45L, trial.seed());
  }

  @Test
  void everyTrialOfASweepSplitsItsDataByTheSweepsSeed() {
    SweepSpec sweep =
        SweepLoader.load(
                """
                name: t
                objective: {metric: val_loss}
                method: random
                max_trials: 4
                seed: 17
                task:
                  source_model: scratch:thaw-cnn
                  target: {dataset: mnist, labels_per_class: 100}
                parameters:
                  dropout: {values: [0.1, 0.2]}
                """)
            .spec();
    TrialSpec first = TrialSpecs.toTrialSpec(sweep, middle(sweep), 4, "t-0", 17);
    TrialSpec second = TrialSpecs.toTrialSpec(sweep, middle(sweep), 4, "t-1", 18);
    assertEquals(17L, first.target().splitSeed());
    assertEquals(17L, second.target().splitSeed());
    assertEquals(17L, second.target().splitSeedOr(second.seed()));
    assertEquals(18L, second.seed());
    assertEquals(100, second.target().labelsPerClass());
  }

  @Test
  void anEmptyParameterBlockGivesTheTrialDefaults() {
    SweepSpec sweep = sweep("{}");
    TrialSpec trial = TrialSpecs.toTrialSpec(sweep, new Point(Map.of()), 4, "t", 0);
    assertEquals(64, trial.batchSize());
    assertEquals(5, trial.epochs());
    assertEquals(OptimizerSpec.defaults(), trial.optimizer());
    assertEquals(LearningRates.defaults(), trial.learningRates());
    assertEquals(0.0, trial.dropout());
  }

  @Test
  void searchSpaceHasOneDimensionPerSearchedOrFixedValue() {
    SweepSpec sweep =
        sweep(
            """
            freeze_depth: {distribution: int_uniform, min: 0, max: 4}
            lr_head: {distribution: q_log_uniform, min: 1.0e-4, max: 1.0e-2, q: 1.0e-4}
            lr_backbone: {slice: {lo: {distribution: log_uniform, min: 1.0e-6, max: 1.0e-4}, hi: {value: 1.0e-3}}}
            batch_size: {values: [16, 32, 64]}
            dropout: {distribution: q_uniform, min: 0.0, max: 0.5, q: 0.1}
            """);
    Map<String, Domain> d = sweep.searchSpace().dimensions();
    assertEquals(
        List.of(
            "batch_size",
            "dropout",
            "freeze_depth",
            "lr_backbone.slice.hi",
            "lr_backbone.slice.lo",
            "lr_head"),
        List.copyOf(d.keySet()));
    assertEquals(new Domain.IntUniform(0, 4, null), d.get("freeze_depth"));
    assertEquals(new Domain.LogUniform(1e-4, 1e-2, 1e-4), d.get("lr_head"));
    assertEquals(new Domain.LogUniform(1e-6, 1e-4, null), d.get("lr_backbone.slice.lo"));
    assertInstanceOf(Domain.Fixed.class, d.get("lr_backbone.slice.hi"));
    assertEquals(3, d.get("batch_size").gridSize());
    assertEquals(new Domain.Uniform(0.0, 0.5, 0.1), d.get("dropout"));
    TrialSpec trial = TrialSpecs.toTrialSpec(sweep, middle(sweep), 4, "t", 0);
    var slice = (BackboneLearningRates.Slice) trial.learningRates().backbone();
    assertEquals(1e-3, slice.hi());
    assertArrayEquals(
        new double[] {1e-5, 1e-3}, new double[] {Math.round(slice.lo() * 1e8) / 1e8, slice.hi()});
  }
}
