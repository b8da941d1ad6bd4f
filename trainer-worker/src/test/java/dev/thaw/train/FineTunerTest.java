package dev.thaw.train;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.Device;
import ai.djl.nn.Parameter;
import dev.thaw.model.LayerGroup;
import dev.thaw.model.ModelMetadata;
import dev.thaw.model.SourceModelRef;
import dev.thaw.model.SourceModels;
import dev.thaw.model.TransferNetwork;
import dev.thaw.task.DatasetException;
import dev.thaw.task.ModelLoadException;
import dev.thaw.trial.BackboneLearningRates;
import dev.thaw.trial.EarlyStoppingSpec;
import dev.thaw.trial.EpochMetrics;
import dev.thaw.trial.InvalidTrialSpecException;
import dev.thaw.trial.LearningRates;
import dev.thaw.trial.Metric;
import dev.thaw.trial.OptimizerSpec;
import dev.thaw.trial.Stage;
import dev.thaw.trial.TargetSpec;
import dev.thaw.trial.TrialResult;
import dev.thaw.trial.TrialSpec;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Real fine-tuning on real MNIST digits with a tiny backbone: a source model is pretrained once on
 * digits 5-9, then fine-tuned on digits 0-2.
 */
class FineTunerTest {
  private static final String TARGET = "mnist[0-2]";
  @TempDir static Path dir;
  static Path sourceDir;
  static ModelMetadata source;

  @BeforeAll
  static void pretrainTinySource() throws IOException {
    sourceDir = dir.resolve("source");
    TrialSpec spec =
        TrialSpec.builder("scratch:thaw-cnn-w4", new TargetSpec("mnist[5-9]", 0.2, 200, null))
            .id("pretrain")
            .freezeDepth(0)
            .learningRates(new LearningRates(5e-3, new BackboneLearningRates.Uniform(5e-3)))
            .batchSize(32)
            .dropout(0.0)
            .epochs(4)
            .warmupEpochs(0)
            .seed(1L)
            .build();
    source = new Pretrainer(tuner()).pretrain(spec, sourceDir, TrialObserver.NONE);
  }

  private static FineTuner tuner() {
    return new FineTuner(Device.cpu(), dir.resolve("runs"));
  }

  private static TrialSpec target(
      String id,
      int freezeDepth,
      LearningRates rates,
      OptimizerSpec opt,
      int labels,
      int batch,
      int epochs) {
    return TrialSpec.builder(sourceDir.toString(), new TargetSpec(TARGET, 0.3, labels, null))
        .id(id)
        .freezeDepth(freezeDepth)
        .learningRates(rates)
        .optimizer(opt)
        .batchSize(batch)
        .dropout(0.0)
        .epochs(epochs)
        .warmupEpochs(0)
        .seed(5L)
        .build();
  }

  @Test
  void pretrainingSavesWeightsAndMetadata() {
    assertEquals("djl-params", source.format());
    assertEquals(4, source.layerGroups().size());
    assertEquals(List.of("5", "6", "7", "8", "9"), source.source().classes());
    assertTrue(source.source().accuracy() > 0.5, "source accuracy " + source.source().accuracy());
    assertTrue(Files.isRegularFile(sourceDir.resolve(source.weights())));
    assertEquals(List.of(1, 28, 28), source.inputShape());
  }

  @Test
  void theHeadIsReplacedForTheTargetClasses() {
    try (TransferNetwork net =
        SourceModels.open(new SourceModelRef.ParamsDir(sourceDir), Device.cpu(), 3, 0.1)) {
      assertEquals(3, net.headClasses());
      assertEquals(4, net.groups().size());
    }
  }

  @Test
  void frozenGroupsDoNotChangeByOneBitAndUnfrozenOnesDo() {
    // AdamW with weight decay: a frozen group must escape the decay too.
    TrialResult r =
        tuner()
            .run(
                target(
                    "freeze",
                    2,
                    new LearningRates(3e-3, new BackboneLearningRates.Uniform(1e-3)),
                    new OptimizerSpec(OptimizerSpec.Name.ADAMW, null, 0.05),
                    30,
                    16,
                    2),
                TrialObserver.NONE);
    List<List<float[]>> before = sourceWeights();
    List<List<float[]>> after = trainedWeights(r);
    for (int g = 0; g < 4; g++) {
      boolean same = identical(before.get(g), after.get(g));
      if (g < 2) {
        assertTrue(same, "frozen group g" + g + " changed");
      } else {
        assertFalse(same, "unfrozen group g" + g + " did not change");
      }
    }
    assertEquals(List.of("0", "1", "2"), r.targetClasses());
    assertEquals(90, r.trainExamples());
  }

  @Test
  void eachGroupMovesAtItsOwnLearningRate() {
    // Plain SGD, one batch, one step: each update is -lr * gradient, and the gradient is the same
    // in both runs (same seed, same data, same head initialisation), so the update of a group
    // scales exactly with its rate.
    OptimizerSpec sgd = new OptimizerSpec(OptimizerSpec.Name.SGD, 0.0, 0.0);
    TrialResult uniform =
        tuner()
            .run(
                target(
                    "lr-uniform",
                    0,
                    new LearningRates(1e-2, new BackboneLearningRates.Uniform(1e-3)),
                    sgd,
                    8,
                    24,
                    1),
                TrialObserver.NONE);
    TrialResult slice =
        tuner()
            .run(
                target(
                    "lr-slice",
                    0,
                    new LearningRates(1e-2, new BackboneLearningRates.Slice(1e-4, 1e-2)),
                    sgd,
                    8,
                    24,
                    1),
                TrialObserver.NONE);
    double[] sliceRates = new BackboneLearningRates.Slice(1e-4, 1e-2).resolve(4, 1e-2);
    List<List<float[]>> start = sourceWeights();
    List<List<float[]>> u = trainedWeights(uniform);
    List<List<float[]>> s = trainedWeights(slice);
    for (int g = 0; g < 4; g++) {
      double ratio = updateNorm(start.get(g), s.get(g)) / updateNorm(start.get(g), u.get(g));
      assertEquals(sliceRates[g] / 1e-3, ratio, 0.01 * sliceRates[g] / 1e-3, "group g" + g);
    }
    assertEquals(slice.groupLearningRates().get(3), 1e-2, 1e-12);
  }

  @Test
  void earlyStoppingFiresWhenTheSequenceSaysAndRestoresTheBestWeights() {
    // Monitoring val_loss in "max" mode makes the falling loss of fine-tuning a sequence that
    // stops improving at once: the best epoch is early and the run stops patience epochs later.
    TrialSpec spec =
        TrialSpec.builder(sourceDir.toString(), new TargetSpec(TARGET, 0.3, 30, null))
            .id("early")
            .freezeDepth(1)
            .learningRates(new LearningRates(3e-3, new BackboneLearningRates.Uniform(1e-3)))
            .batchSize(16)
            .dropout(0.0)
            .epochs(8)
            .warmupEpochs(0)
            .earlyStopping(new EarlyStoppingSpec(Metric.VAL_LOSS, Metric.Mode.MAX, 2, 0.0, true))
            .seed(3L)
            .build();
    List<EpochMetrics> seen = new ArrayList<>();
    TrialResult r =
        tuner()
            .run(
                spec,
                new TrialObserver() {
                  @Override
                  public boolean epochFinished(EpochMetrics m) {
                    seen.add(m);
                    return true;
                  }
                });
    // The epoch the rule dictates for the losses actually seen.
    EarlyStopping rule = new EarlyStopping(Metric.Mode.MAX, 0.0, 2);
    int expectedStop = 0;
    for (EpochMetrics m : seen) {
      if (rule.offer(m.epoch(), m.valLoss(), true) == EarlyStopping.Verdict.STOP) {
        expectedStop = m.epoch();
        break;
      }
    }
    assertTrue(expectedStop > 0, "the loss never stopped falling: " + seen);
    assertTrue(r.stoppedEarly());
    assertEquals("early_stopping", r.stopReason());
    assertEquals(expectedStop, r.epochsRun());
    assertEquals(seen.size(), r.epochsRun());
    assertEquals(rule.bestEpoch(), r.bestEpoch());
    assertTrue(r.bestEpoch() < r.epochsRun());
    // The weights the trial ends with are the best epoch's: they give its validation loss again.
    EpochMetrics best = seen.get(r.bestEpoch() - 1);
    EpochMetrics last = seen.get(seen.size() - 1);
    assertEquals(best.valLoss(), r.finalValLoss(), 1e-5);
    assertEquals(best.valAccuracy(), r.finalValAccuracy(), 1e-9);
    assertNotEquals(last.valLoss(), r.finalValLoss(), 1e-6);
  }

  @Test
  void warmupTrainsTheHeadOnlyThenFineTunes() {
    TrialSpec spec =
        TrialSpec.builder(sourceDir.toString(), new TargetSpec(TARGET, 0.3, 20, null))
            .id("warmup")
            .freezeDepth(0)
            .batchSize(16)
            .dropout(0.2)
            .epochs(1)
            .warmupEpochs(2)
            .seed(9L)
            .build();
    TrialResult r = tuner().run(spec, TrialObserver.NONE);
    assertEquals(
        List.of(Stage.WARMUP, Stage.WARMUP, Stage.FINE_TUNE),
        r.epochs().stream().map(EpochMetrics::stage).toList());
    assertTrue(r.epochs().stream().allMatch(m -> m.samplesPerSecond() > 0 && m.epochSeconds() > 0));
  }

  @Test
  void aDivergedRunKeepsItsLastWeightsAndSaysNoEpochWasBest() {
    OptimizerSpec sgd = new OptimizerSpec(OptimizerSpec.Name.SGD, 0.0, 0.0);
    TrialResult r =
        tuner()
            .run(
                target(
                    "diverged",
                    0,
                    new LearningRates(1e30, new BackboneLearningRates.Uniform(1e30)),
                    sgd,
                    10,
                    16,
                    2),
                TrialObserver.NONE);
    assertTrue(Double.isNaN(r.epochs().get(1).valLoss()), "the run did not diverge: " + r.epochs());
    assertEquals(0, r.bestEpoch());
    assertTrue(r.bestWeights().endsWith("last-0000.params"), r.bestWeights());
    assertTrue(Files.isRegularFile(Path.of(r.bestWeights())));
  }

  @Test
  void anImpossibleFreezeDepthIsRejectedBeforeTraining() throws IOException {
    TrialSpec spec = target("too-deep", 5, null, null, 10, 16, 1);
    var e =
        assertThrows(InvalidTrialSpecException.class, () -> tuner().run(spec, TrialObserver.NONE));
    assertTrue(e.getMessage().contains("freeze_depth: must be in [0, 4]"), e.getMessage());
    assertTrue(e.getMessage().contains("got 5"), e.getMessage());
    assertFalse(Files.exists(dir.resolve("runs").resolve("too-deep")), "a run folder was created");
  }

  @Test
  void aMissingSourceModelIsNamed() {
    TrialSpec spec = target("missing", 0, null, null, 10, 16, 1);
    TrialSpec missing =
        TrialSpec.builder(dir.resolve("nowhere").toString(), spec.target())
            .freezeDepth(0)
            .epochs(1)
            .build();
    var e =
        assertThrows(
            InvalidTrialSpecException.class, () -> tuner().run(missing, TrialObserver.NONE));
    assertTrue(e.getMessage().contains(dir.resolve("nowhere").toString()), e.getMessage());
    assertThrows(
        ModelLoadException.class,
        () -> SourceModels.describe(SourceModelRef.parse(dir.resolve("nowhere").toString())));
  }

  @Test
  void anUnknownDatasetIsNamed() {
    TrialSpec spec = target("bad-data", 0, null, null, 10, 16, 1);
    TrialSpec bad =
        TrialSpec.builder(spec.sourceModel(), TargetSpec.of("minst"))
            .freezeDepth(0)
            .epochs(1)
            .build();
    var e = assertThrows(DatasetException.class, () -> tuner().run(bad, TrialObserver.NONE));
    assertTrue(e.getMessage().contains("minst"), e.getMessage());
  }

  // --- helpers -------------------------------------------------------------------------------

  private static List<List<float[]>> sourceWeights() {
    try (TransferNetwork net =
        SourceModels.open(new SourceModelRef.ParamsDir(sourceDir), Device.cpu(), 3, 0)) {
      return groupArrays(net.groups());
    }
  }

  private static List<List<float[]>> trainedWeights(TrialResult r) {
    Path weights = Path.of(r.bestWeights());
    try (TransferNetwork net =
        SourceModels.open(new SourceModelRef.ParamsDir(sourceDir), Device.cpu(), 3, 0)) {
      net.loadWeights(weights.getParent(), "best");
      return groupArrays(net.groups());
    } catch (IOException e) {
      throw new java.io.UncheckedIOException(e);
    }
  }

  private static List<List<float[]>> groupArrays(List<LayerGroup> groups) {
    List<List<float[]>> out = new ArrayList<>();
    for (LayerGroup g : groups) {
      List<float[]> arrays = new ArrayList<>();
      for (Parameter p : g.parameters()) {
        arrays.add(p.getArray().toFloatArray());
      }
      out.add(arrays);
    }
    return out;
  }

  private static boolean identical(List<float[]> a, List<float[]> b) {
    assertEquals(a.size(), b.size());
    for (int i = 0; i < a.size(); i++) {
      assertEquals(a.get(i).length, b.get(i).length);
      if (!java.util.Arrays.equals(a.get(i), b.get(i))) {
        return false;
      }
    }
    return true;
  }

  private static double updateNorm(List<float[]> before, List<float[]> after) {
    double sum = 0;
    for (int i = 0; i < before.size(); i++) {
      for (int j = 0; j < before.get(i).length; j++) {
        double d = after.get(i)[j] - before.get(i)[j];
        sum += d * d;
      }
    }
    assertTrue(sum > 0, "no update at all");
    return Math.sqrt(sum);
  }
}
