package dev.thaw.train;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.Device;
import ai.djl.nn.Parameter;
import dev.thaw.model.LayerGroup;
import dev.thaw.model.SourceModelRef;
import dev.thaw.model.SourceModels;
import dev.thaw.model.TransferNetwork;
import dev.thaw.trial.Augmentation;
import dev.thaw.trial.BackboneLearningRates;
import dev.thaw.trial.BatchNormMode;
import dev.thaw.trial.InvalidTrialSpecException;
import dev.thaw.trial.LearningRates;
import dev.thaw.trial.TargetSpec;
import dev.thaw.trial.TrialResult;
import dev.thaw.trial.TrialSpec;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.EnabledIf;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Fine-tuning the real ImageNet MobileNetV2 (and, for frozen groups, EfficientNet-Lite0 with its
 * stochastic depth) on a few MNIST digits at 32 x 32: frozen groups, BatchNorm included, stay as
 * pretrained to the bit; unfrozen ones move; {@code batch_norm: frozen} keeps every BatchNorm layer
 * as pretrained.
 */
@EnabledIf("dev.thaw.model.zoo.PackagedFiles#zooWeightsPresent")
class ZooFineTuningTest {
  private static final String SOURCE = "zoo:mobilenet_v2";
  @TempDir static Path dir;

  private static TrialSpec spec(
      String id, int freezeDepth, BatchNormMode batchNorm, Integer inputSize, Augmentation aug) {
    return spec(SOURCE, id, freezeDepth, batchNorm, inputSize, aug);
  }

  private static TrialSpec spec(
      String source,
      String id,
      int freezeDepth,
      BatchNormMode batchNorm,
      Integer inputSize,
      Augmentation aug) {
    return TrialSpec.builder(source, new TargetSpec("mnist[0-2]", 0.05, 16, null))
        .id(id)
        .freezeDepth(freezeDepth)
        .learningRates(new LearningRates(1e-2, new BackboneLearningRates.Uniform(1e-2)))
        .batchSize(16)
        .dropout(0.0)
        .epochs(2)
        .warmupEpochs(0)
        .seed(3L)
        .inputSize(inputSize)
        .augmentation(aug)
        .batchNorm(batchNorm)
        .build();
  }

  private static TrialResult run(TrialSpec spec) {
    return new FineTuner(Device.cpu(), dir.resolve("runs")).run(spec, TrialObserver.NONE);
  }

  @ParameterizedTest
  @ValueSource(strings = {"zoo:mobilenet_v2", "zoo:efficientnet_lite0"})
  void frozenGroupsAndTheirBatchNormStayAsPretrainedToTheBit(String source) {
    TrialResult r =
        run(spec(source, "bn-train-" + source.substring(4), 5, BatchNormMode.TRAIN, 32, null));
    List<List<Values>> before = pretrained(source);
    List<List<Values>> after = trained(source, r);
    for (int g = 0; g < 9; g++) {
      for (int i = 0; i < before.get(g).size(); i++) {
        Values b = before.get(g).get(i);
        Values a = after.get(g).get(i);
        if (g < 5) {
          assertArrayEquals(b.values(), a.values(), "frozen g" + g + " " + b.name() + " moved");
        }
      }
      if (g >= 5) {
        assertFalse(
            same(before.get(g), after.get(g), "weight"), "g" + g + " weights did not train");
        assertFalse(
            same(before.get(g), after.get(g), "runningMean"),
            "g" + g + " running means did not follow the target's batches");
      }
    }
    assertEquals(48, r.trainExamples());
  }

  @Test
  void frozenBatchNormKeepsEveryNormAsPretrainedWhileTheRestTrains() {
    TrialResult r = run(spec("bn-frozen", 5, BatchNormMode.FROZEN, 32, null));
    List<List<Values>> before = pretrained(SOURCE);
    List<List<Values>> after = trained(SOURCE, r);
    for (int g = 0; g < 9; g++) {
      for (String kind : List.of("gamma", "beta", "runningMean", "runningVar")) {
        assertTrue(same(before.get(g), after.get(g), kind), "g" + g + " " + kind + " moved");
      }
      boolean weights = same(before.get(g), after.get(g), "weight");
      assertEquals(
          g < 5, weights, "g" + g + " convolution weights " + (weights ? "same" : "moved"));
    }
  }

  @Test
  void anInputTooSmallForTheArchitectureIsRefusedBeforeTraining() {
    var e =
        assertThrows(InvalidTrialSpecException.class, () -> run(spec("tiny", 5, null, 16, null)));
    assertTrue(e.getMessage().contains("input_size: 16 is too small"), e.getMessage());
    assertTrue(e.getMessage().contains("at least 32"), e.getMessage());
    assertFalse(Files.exists(dir.resolve("runs/tiny")), "nothing was trained or written");
  }

  @Test
  void augmentedTrialsRepeatExactlyAndDifferFromPlainOnes() {
    TrialResult a = run(spec("aug-a", 8, null, 32, Augmentation.CROP_FLIP));
    TrialResult b = run(spec("aug-b", 8, null, 32, Augmentation.CROP_FLIP));
    TrialResult plain = run(spec("plain", 8, null, 32, null));
    assertEquals(a.epochs().get(1).trainLoss(), b.epochs().get(1).trainLoss(), "same seed");
    assertTrue(
        a.epochs().get(1).trainLoss() != plain.epochs().get(1).trainLoss(),
        "augmentation changed nothing");
  }

  // --- helpers -------------------------------------------------------------------------------

  private record Values(String name, Parameter.Type type, float[] values) {}

  private static List<List<Values>> pretrained(String source) {
    try (TransferNetwork net =
        SourceModels.open(SourceModelRef.parse(source), Device.cpu(), 3, 0)) {
      return values(net.groups());
    }
  }

  private static List<List<Values>> trained(String source, TrialResult r) {
    Path weights = Path.of(r.bestWeights());
    try (TransferNetwork net =
        SourceModels.open(SourceModelRef.parse(source), Device.cpu(), 3, 0)) {
      net.loadWeights(
          weights.getParent(), weights.getFileName().toString().replace("-0000.params", ""));
      return values(net.groups());
    } catch (IOException e) {
      throw new java.io.UncheckedIOException(e);
    }
  }

  private static List<List<Values>> values(List<LayerGroup> groups) {
    List<List<Values>> out = new ArrayList<>();
    for (LayerGroup g : groups) {
      List<Values> values = new ArrayList<>();
      for (Parameter p : g.parameters()) {
        values.add(new Values(p.getName(), p.getType(), p.getArray().toFloatArray()));
      }
      out.add(values);
    }
    return out;
  }

  /** True when every parameter of this kind (by name) is identical in both. */
  private static boolean same(List<Values> a, List<Values> b, String name) {
    boolean any = false;
    for (int i = 0; i < a.size(); i++) {
      if (a.get(i).name().equals(name)) {
        any = true;
        if (!java.util.Arrays.equals(a.get(i).values(), b.get(i).values())) {
          return false;
        }
      }
    }
    assertTrue(any, "no parameter named " + name);
    return true;
  }
}
