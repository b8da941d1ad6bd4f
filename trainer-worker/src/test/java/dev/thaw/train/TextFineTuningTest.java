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
import dev.thaw.train.features.FeatureCache;
import dev.thaw.train.features.FeatureCacheSettings;
import dev.thaw.train.features.FeatureCacheStats;
import dev.thaw.trial.BackboneLearningRates;
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
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.EnabledIf;
import org.junit.jupiter.api.io.TempDir;

/**
 * A text trial on the real MiniLM encoder, through the same FineTuner as images: a folder of a few
 * dozen short reviews, 32 tokens, freeze depth 5 of 7 groups.
 */
@EnabledIf("dev.thaw.model.text.MiniLmTest#present")
class TextFineTuningTest {
  private static final String SOURCE = "zoo:minilm_l6";
  @TempDir static Path dir;

  @BeforeAll
  static void reviews() throws IOException {
    String[] good = {"great", "wonderful", "lovely", "excellent", "delightful", "superb"};
    String[] bad = {"awful", "terrible", "horrible", "dreadful", "disgusting", "miserable"};
    String[] things = {"film", "meal", "hotel", "book"};
    for (int i = 0; i < good.length; i++) {
      for (int j = 0; j < things.length; j++) {
        write("good", i, j, "What a " + good[i] + " " + things[j] + ", I loved every minute.");
        write("bad", i, j, "What a " + bad[i] + " " + things[j] + ", I hated every minute.");
      }
    }
  }

  private static void write(String label, int i, int j, String text) throws IOException {
    Path f = dir.resolve("reviews").resolve(label).resolve(i + "-" + j + ".txt");
    Files.createDirectories(f.getParent());
    Files.writeString(f, text);
  }

  private static dev.thaw.trial.TrialSpecBuilder spec(String id, int freezeDepth) {
    return TrialSpec.builder(
            SOURCE, new TargetSpec("folder:" + dir.resolve("reviews"), 0.25, null, null, null, 32))
        .id(id)
        .freezeDepth(freezeDepth)
        .learningRates(new LearningRates(3e-2, new BackboneLearningRates.Uniform(1e-3)))
        .batchSize(8)
        .dropout(0.1)
        .epochs(3)
        .seed(5L);
  }

  @Test
  void trainsWithFrozenGroupsUnchangedToTheBitAndRunsUncached() throws IOException {
    AtomicReference<FeatureCacheStats> stats = new AtomicReference<>();
    TrialObserver observer =
        new TrialObserver() {
          @Override
          public void featureCache(FeatureCacheStats s) {
            stats.set(s);
          }
        };
    TrialResult r;
    try (FeatureCache cache =
        FeatureCache.open(new FeatureCacheSettings(64L << 20, 0, dir.resolve("features")))) {
      r =
          new FineTuner(Device.cpu(), dir.resolve("runs"))
              .withFeatureCache(cache)
              .run(spec("text-k5", 5).build(), observer);
    }
    assertEquals(36, r.trainExamples());
    assertEquals(List.of("bad", "good"), r.targetClasses());
    assertTrue(
        r.epochs().get(2).trainLoss() < r.epochs().get(0).trainLoss(),
        "training loss did not fall: " + r.epochs());
    assertEquals(0, stats.get().cachedStages(), "a text stage was served from the cache");
    assertFalse(stats.get().uncached().isEmpty(), "no reason given for running uncached");

    List<List<float[]>> before;
    List<List<float[]>> after;
    try (TransferNetwork net = open()) {
      before = values(net.groups());
      Path w = Path.of(r.bestWeights());
      net.loadWeights(w.getParent(), w.getFileName().toString().replace("-0000.params", ""));
      after = values(net.groups());
    }
    assertEquals(7, before.size());
    for (int g = 0; g < 7; g++) {
      boolean same = true;
      for (int i = 0; i < before.get(g).size(); i++) {
        if (g < 5) {
          assertArrayEquals(before.get(g).get(i), after.get(g).get(i), "frozen g" + g + " moved");
        }
        same &= java.util.Arrays.equals(before.get(g).get(i), after.get(g).get(i));
      }
      if (g >= 5) {
        assertFalse(same, "g" + g + " did not train");
      }
    }
  }

  @Test
  void freezeDepthIsCheckedAgainstTheSevenGroups() {
    var e =
        assertThrows(
            InvalidTrialSpecException.class,
            () -> FineTuner.validate(spec("deep", 8).build(), "deep.json"));
    assertTrue(e.getMessage().contains("freeze_depth: must be in [0, 7]"), e.getMessage());
  }

  @Test
  void maxLengthZeroIsRefusedNamingTheKey() {
    TrialSpec bad =
        spec("zero", 5)
            .target(new TargetSpec("folder:" + dir.resolve("reviews"), 0.25, null, null, null, 0))
            .build();
    var e = assertThrows(InvalidTrialSpecException.class, () -> FineTuner.validate(bad, "z"));
    assertTrue(e.getMessage().contains("target.max_length: must be in [3, 512]"), e.getMessage());
  }

  @Test
  void imageDataOnTheTextEncoderIsRefused() {
    TrialSpec images =
        spec("img", 5).target(new TargetSpec("mnist", 0.25, null, null, null, null)).build();
    var e =
        assertThrows(
            dev.thaw.task.DatasetException.class,
            () -> new FineTuner(Device.cpu(), dir.resolve("runs")).run(images, TrialObserver.NONE));
    assertTrue(e.getMessage().contains("holds images but the source model takes text"));
  }

  private static TransferNetwork open() {
    return SourceModels.open(SourceModelRef.parse(SOURCE), Device.cpu(), 2, 0);
  }

  private static List<List<float[]>> values(List<LayerGroup> groups) {
    List<List<float[]>> out = new ArrayList<>();
    for (LayerGroup g : groups) {
      List<float[]> v = new ArrayList<>();
      for (Parameter p : g.parameters()) {
        v.add(p.getArray().toFloatArray());
      }
      out.add(v);
    }
    return out;
  }
}
