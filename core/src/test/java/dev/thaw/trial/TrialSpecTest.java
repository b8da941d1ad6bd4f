package dev.thaw.trial;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class TrialSpecTest {
  private static final String FULL =
      """
      {
        "id": "t1",
        "source_model": "scratch:thaw-cnn-w4",
        "target": {"dataset": "mnist[0-2]", "labels_per_class": 10},
        "freeze_depth": 2,
        "learning_rates": {"head": 3e-3, "backbone": {"slice": [1e-5, 1e-3]}},
        "optimizer": {"name": "sgd", "momentum": 0.8},
        "batch_size": 32,
        "dropout": 0.25,
        "epochs": 4,
        "warmup_epochs": 1,
        "early_stopping": {"monitor": "val_accuracy", "patience": 2},
        "seed": 11
      }
      """;

  @Test
  void readsEveryFieldAndFillsDefaults() {
    TrialSpec spec = TrialSpec.fromJson(FULL, "test");
    assertEquals(FreezeDepth.of(2), spec.freezeDepth());
    assertEquals(32, spec.batchSize());
    assertEquals(OptimizerSpec.Name.SGD, spec.optimizer().name());
    assertEquals(0.8, spec.optimizer().momentum());
    assertEquals(0.0, spec.optimizer().weightDecay());
    assertEquals(0.2, spec.target().validationFraction());
    assertEquals(1.0, spec.target().dataFraction());
    assertEquals(Metric.VAL_ACCURACY, spec.monitor());
    assertEquals(Metric.Mode.MAX, spec.monitorMode());
    assertEquals(true, spec.earlyStopping().restoreBestWeights());
    assertInstanceOf(BackboneLearningRates.Slice.class, spec.learningRates().backbone());
  }

  @Test
  void theBuilderSetsFieldsByNameAndLeavesTheRestAtTheirDefaults() {
    TrialSpec read = TrialSpec.fromJson(FULL, "test");
    TrialSpec built =
        TrialSpec.builder("scratch:thaw-cnn-w4", new TargetSpec("mnist[0-2]", null, 10, null))
            .id("t1")
            .freezeDepth(2)
            .learningRates(new LearningRates(3e-3, new BackboneLearningRates.Slice(1e-5, 1e-3)))
            .optimizer(new OptimizerSpec(OptimizerSpec.Name.SGD, 0.8, null))
            .batchSize(32)
            .dropout(0.25)
            .epochs(4)
            .warmupEpochs(1)
            .earlyStopping(read.earlyStopping())
            .seed(11L)
            .build();
    assertEquals(read, built);
    assertEquals(read.configHash(), built.configHash());
    assertEquals(read, read.toBuilder().build());
    assertEquals(
        TrialSpec.fromJson("{\"source_model\": \"m\", \"target\": {\"dataset\": \"d\"}}", "t"),
        TrialSpec.builder("m", TargetSpec.of("d")).build());
  }

  @Test
  void jsonRoundTripKeepsTheSpecAndItsHash() {
    TrialSpec spec = TrialSpec.fromJson(FULL, "test");
    TrialSpec again = TrialSpec.fromJson(spec.toJson(), "round trip");
    assertEquals(spec, again);
    assertEquals(spec.configHash(), again.configHash());
  }

  @Test
  void inputSizeAugmentationAndBatchNormAreReadAndLeaveOlderHashesAlone() {
    TrialSpec plain = TrialSpec.fromJson(FULL, "test");
    assertFalse(plain.toJson().contains("input_size"), "unset keys are not written");
    assertFalse(plain.toJson().contains("batch_norm"), "unset keys are not written");
    assertEquals(Augmentation.NONE, plain.augmentationOrNone());
    assertEquals(BatchNormMode.TRAIN, plain.batchNormOrTrain());
    TrialSpec set =
        TrialSpec.fromJson(
            FULL.replace(
                "\"seed\": 11",
                "\"seed\": 11, \"input_size\": 96, \"augmentation\": \"crop_flip\","
                    + " \"batch_norm\": \"frozen\""),
            "test");
    assertEquals(96, set.inputSize());
    assertEquals(Augmentation.CROP_FLIP, set.augmentation());
    assertEquals(BatchNormMode.FROZEN, set.batchNorm());
    assertNotEquals(plain.configHash(), set.configHash());
    assertEquals(set, TrialSpec.fromJson(set.toJson(), "round trip"));
    var e =
        assertThrows(
            InvalidTrialSpecException.class,
            () ->
                TrialSpec.fromJson(
                    FULL.replace("\"seed\": 11", "\"seed\": 11, \"batch_norm\": \"fixed\""),
                    "f.json"));
    assertTrue(e.getMessage().contains("batch_norm"), e.getMessage());
    assertTrue(e.getMessage().contains("use train (the default) or frozen"), e.getMessage());
  }

  @Test
  void theSplitSeedDefaultsToTheTrialSeedAndIsKeptWhenGiven() {
    TrialSpec plain = TrialSpec.fromJson(FULL, "test");
    assertEquals(null, plain.target().splitSeed());
    assertEquals(11L, plain.target().splitSeedOr(plain.seed()));
    // A file without split_seed keeps its hash: the key is not written when absent.
    assertFalse(plain.toJson().contains("split_seed"), plain.toJson());

    TrialSpec pinned =
        TrialSpec.fromJson(
            FULL.replace("\"labels_per_class\": 10", "\"labels_per_class\": 10, \"split_seed\": 3"),
            "t");
    assertEquals(3L, pinned.target().splitSeedOr(pinned.seed()));
    assertEquals(pinned, TrialSpec.fromJson(pinned.toJson(), "round trip"));
    assertTrue(pinned.toJson().contains("\"split_seed\" : 3"), pinned.toJson());
    assertNotEquals(plain.configHash(), pinned.configHash());
  }

  @Test
  void hashIgnoresTheIdButNotTheHyperparameters() {
    TrialSpec spec = TrialSpec.fromJson(FULL, "test");
    assertEquals(spec.configHash(), spec.withId("other").configHash());
    TrialSpec changed =
        TrialSpec.fromJson(FULL.replace("\"dropout\": 0.25", "\"dropout\": 0.3"), "t");
    assertNotEquals(spec.configHash(), changed.configHash());
    assertTrue(spec.withId(null).idOrHash().startsWith("trial-"));
  }

  @Test
  void backboneRatesAcceptEveryForm() {
    assertInstanceOf(BackboneLearningRates.Uniform.class, rates("1e-4"));
    assertEquals(
        List.of(1e-5, 2e-5, 3e-5, 4e-5),
        ((BackboneLearningRates.PerGroup) rates("[1e-5,2e-5,3e-5,4e-5]")).rates());
    BackboneLearningRates.Decay d = (BackboneLearningRates.Decay) rates("{\"decay\": 2.6}");
    assertEquals(2.6, d.factor());
    // each form survives a round trip
    for (String form :
        List.of(
            "1e-4",
            "[1e-5,2e-5,3e-5,4e-5]",
            "{\"slice\":[1e-5,1e-3]}",
            "{\"decay\":2.6,\"top\":1e-3}")) {
      TrialSpec spec = TrialSpec.fromJson(withBackbone(form), "t");
      assertEquals(spec, TrialSpec.fromJson(spec.toJson(), "t"), form);
    }
  }

  @Test
  void sliceIsGeometricFromLowToHigh() {
    double[] r = new BackboneLearningRates.Slice(1e-5, 1e-2).resolve(4, 1e-3);
    assertArrayEquals(new double[] {1e-5, 1e-4, 1e-3, 1e-2}, r, 1e-12);
  }

  @Test
  void decayDividesOncePerGroupGoingDown() {
    double[] r = new BackboneLearningRates.Decay(2.0, null).resolve(3, 8e-3);
    assertArrayEquals(new double[] {1e-3, 2e-3, 4e-3}, r, 1e-12);
    double[] top = new BackboneLearningRates.Decay(10.0, 1e-2).resolve(3, 1.0);
    assertArrayEquals(new double[] {1e-4, 1e-3, 1e-2}, top, 1e-12);
  }

  @Test
  void unknownKeyIsNamedWithItsPath() {
    var e =
        assertThrows(
            InvalidTrialSpecException.class,
            () -> TrialSpec.fromJson(FULL.replace("\"patience\"", "\"patiense\""), "f.json"));
    assertTrue(e.getMessage().contains("early_stopping.patiense"), e.getMessage());
    assertTrue(e.getMessage().contains("patience"), e.getMessage());
    assertTrue(e.getMessage().contains("f.json"), e.getMessage());
  }

  @Test
  void malformedJsonGivesLineAndColumn() {
    var e =
        assertThrows(
            InvalidTrialSpecException.class,
            () -> TrialSpec.fromJson("{\n  \"seed\": ,\n}", "f.json"));
    assertTrue(e.getMessage().contains("line 2"), e.getMessage());
  }

  @Test
  void unknownOptimizerListsTheKnownOnes() {
    var e =
        assertThrows(
            InvalidTrialSpecException.class,
            () -> TrialSpec.fromJson(FULL.replace("\"sgd\"", "\"adagrad\""), "f.json"));
    assertTrue(e.getMessage().contains("optimizer.name"), e.getMessage());
    assertTrue(e.getMessage().contains("adamw"), e.getMessage());
  }

  /** A valid spec, one field changed, exactly one error naming the field and the value. */
  @ParameterizedTest
  @CsvSource(
      delimiter = '|',
      value = {
        "\"freeze_depth\": 2|\"freeze_depth\": 5|freeze_depth: must be in [0, 4]|got 5",
        "\"freeze_depth\": 2|\"freeze_depth\": -1|freeze_depth|got -1",
        "\"head\": 3e-3|\"head\": 0|learning_rates.head|got 0.0",
        "\"head\": 3e-3|\"head\": -1e-3|learning_rates.head|got -0.001",
        "[1e-5, 1e-3]|[1e-3, 1e-5]|learning_rates.backbone.slice: lo must be <= hi|1.0E-5",
        "[1e-5, 1e-3]|[0, 1e-3]|learning_rates.backbone.slice[0]|got 0.0",
        "\"batch_size\": 32|\"batch_size\": 0|batch_size: must be >= 1|got 0",
        "\"dropout\": 0.25|\"dropout\": 1.0|dropout: must be in [0, 1)|got 1.0",
        "\"dropout\": 0.25|\"dropout\": -0.1|dropout|got -0.1",
        "\"epochs\": 4|\"epochs\": 0|epochs: must be >= 1|got 0",
        "\"patience\": 2|\"patience\": 0|early_stopping.patience|got 0",
        "\"momentum\": 0.8|\"momentum\": 1.5|optimizer.momentum|got 1.5",
        "\"labels_per_class\": 10|\"labels_per_class\": 0|target.labels_per_class|got 0",
      })
  void eachBadValueGetsItsOwnError(String from, String to, String field, String value) {
    assertTrue(FULL.contains(from), from);
    TrialSpec spec = TrialSpec.fromJson(FULL.replace(from, to), "t");
    List<String> errors = TrialSpecValidator.errors(spec, 4);
    assertEquals(1, errors.size(), errors.toString());
    assertTrue(errors.get(0).startsWith(field) || errors.get(0).contains(field), errors.get(0));
    assertTrue(errors.get(0).contains(value), errors.get(0));
  }

  @Test
  void validSpecHasNoErrorsAndAllErrorsComeAtOnce() {
    assertEquals(List.of(), TrialSpecValidator.errors(TrialSpec.fromJson(FULL, "t"), 4));
    TrialSpec bad =
        TrialSpec.fromJson(
            FULL.replace("\"batch_size\": 32", "\"batch_size\": 0")
                .replace("\"dropout\": 0.25", "\"dropout\": 2"),
            "t");
    var e =
        assertThrows(InvalidTrialSpecException.class, () -> TrialSpecValidator.check(bad, 4, "t"));
    assertEquals(2, e.errors().size(), e.errors().toString());
  }

  @Test
  void perGroupListMustMatchTheGroupCount() {
    TrialSpec spec = TrialSpec.fromJson(withBackbone("[1e-5, 1e-4]"), "t");
    List<String> errors = TrialSpecValidator.errors(spec, 4);
    assertEquals(1, errors.size());
    assertTrue(
        errors.get(0).contains("has 2 rates but the backbone has 4 layer groups"), errors.get(0));
  }

  private static BackboneLearningRates rates(String json) {
    return TrialSpec.fromJson(withBackbone(json), "t").learningRates().backbone();
  }

  private static String withBackbone(String json) {
    return FULL.replace("{\"slice\": [1e-5, 1e-3]}", json);
  }
}
