package dev.thaw.worker;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotSame;
import static org.junit.jupiter.api.Assertions.assertSame;

import ai.djl.Device;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Parameter;
import dev.thaw.model.SourceModelRef;
import dev.thaw.model.TransferNetwork;
import dev.thaw.train.FineTuner;
import dev.thaw.train.TrialData;
import dev.thaw.train.TrialInputs;
import dev.thaw.train.TrialObserver;
import dev.thaw.trial.BackboneLearningRates;
import dev.thaw.trial.FreezeDepth;
import dev.thaw.trial.LearningRates;
import dev.thaw.trial.OptimizerSpec;
import dev.thaw.trial.TargetSpec;
import dev.thaw.trial.TrialResult;
import dev.thaw.trial.TrialSpec;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.time.Instant;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.function.Supplier;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.EnabledIf;
import org.junit.jupiter.api.io.TempDir;

/** The worker's cache of a task's data and pretrained weights. */
class TaskCacheTest {
  private static final Shape INPUT = new Shape(1, 28, 28);
  private static final TargetSpec TARGET = new TargetSpec("mnist[0-2]", 0.3, 30, null);
  @TempDir static Path dir;
  static SourceModelRef.ParamsDir source;

  @BeforeAll
  static void pretrainTinySource() throws IOException {
    source = new SourceModelRef.ParamsDir(TinySource.pretrain(dir));
  }

  @Test
  void theDataIsLoadedOncePerTargetAndSplitSeed() {
    try (TaskCache cache = new TaskCache()) {
      TrialData first = cache.data(TARGET, INPUT, 1);
      assertSame(first, cache.data(TARGET, INPUT, 1));
      assertSame(first, cache.data(TARGET.withSplitSeed(1L), INPUT, 1));
      assertEquals(1, cache.dataLoads());
      assertNotSame(first, cache.data(TARGET, INPUT, 2));
      assertEquals(2, cache.dataLoads());
      cache.data(new TargetSpec("mnist[0-2]", 0.3, 20, null), INPUT, 2);
      assertEquals(3, cache.dataLoads());
    }
  }

  @Test
  void everyNetworkStartsFromThePretrainedWeightsWhateverAnotherTrialDidToItsOwn() {
    try (TaskCache cache = new TaskCache();
        TransferNetwork fromDisk = TrialInputs.FROM_DISK.network(source, Device.cpu(), 3, 0)) {
      List<float[]> pretrained = backbone(fromDisk);
      try (TransferNetwork first = cache.network(source, Device.cpu(), 3, 0)) {
        assertValuesEqual(pretrained, backbone(first));
        // A trial trains its network: here, every backbone value is zeroed in place.
        first.groups().forEach(g -> g.parameters().forEach(p -> p.getArray().muli(0)));
        try (TransferNetwork second = cache.network(source, Device.cpu(), 3, 0)) {
          assertValuesEqual(pretrained, backbone(second));
          assertEquals(3, second.headClasses());
        }
      }
      assertEquals(1, cache.modelLoads());
    }
  }

  @Test
  @EnabledIf("dev.thaw.model.zoo.PackagedFiles#zooWeightsPresent")
  void aZooModelIsReadOnceAndEveryTrialGetsItsPretrainedWeightsWithBatchNormStatistics() {
    SourceModelRef zoo = SourceModelRef.parse("zoo:mobilenet_v2");
    try (TaskCache cache = new TaskCache();
        TransferNetwork fromDisk = TrialInputs.FROM_DISK.network(zoo, Device.cpu(), 3, 0)) {
      List<float[]> pretrained = backbone(fromDisk);
      try (TransferNetwork first = cache.network(zoo, Device.cpu(), 3, 0)) {
        assertValuesEqual(pretrained, backbone(first));
        first.groups().forEach(g -> g.parameters().forEach(p -> p.getArray().muli(0)));
        try (TransferNetwork second = cache.network(zoo, Device.cpu(), 5, 0)) {
          assertValuesEqual(pretrained, backbone(second));
          assertEquals(5, second.headClasses());
          assertEquals(9, second.groups().size());
          assertEquals(52, second.groups().stream().mapToInt(g -> g.batchNorms().size()).sum());
        }
      }
      assertEquals(1, cache.modelLoads());
    }
  }

  @Test
  @EnabledIf("dev.thaw.model.zoo.PackagedFiles#zooWeightsPresent")
  void aWorkersFirstTrialOfATaskRepeatsExactlyAsALaterOne(@TempDir Path runs) {
    // Capturing the zoo snapshot draws random numbers; it must happen before the trial's seed.
    TrialSpec spec =
        new TrialSpec(
            "first",
            "zoo:mobilenet_v2",
            new TargetSpec("fashion-mnist[0-2]", 0.003, 12, null),
            FreezeDepth.of(9),
            new LearningRates(2e-2, new BackboneLearningRates.Uniform(1e-2)),
            new OptimizerSpec(OptimizerSpec.Name.SGD, 0.9, null),
            12,
            0.2,
            1,
            0,
            null,
            11L,
            64,
            null,
            null,
            null,
            null);
    try (TaskCache cache = new TaskCache()) {
      FineTuner tuner = new FineTuner(Device.cpu(), runs, cache);
      TrialResult first = tuner.run(spec, TrialObserver.NONE);
      TrialResult later = tuner.run(spec.withId("later"), TrialObserver.NONE);
      assertEquals(1, cache.modelLoads());
      assertEquals(first.epochs().get(0).trainLoss(), later.epochs().get(0).trainLoss());
      assertEquals(first.epochs().get(0).valLoss(), later.epochs().get(0).valLoss());
    }
  }

  @Test
  void aWeightsFileChangedOnDiskIsReadAgainAndScratchModelsAreNotCached() throws IOException {
    try (TaskCache cache = new TaskCache()) {
      cache.network(source, Device.cpu(), 3, 0).close();
      cache.network(source, Device.cpu(), 3, 0).close();
      assertEquals(1, cache.modelLoads());
      Path weights;
      try (var files = Files.list(source.dir())) {
        weights = files.filter(f -> f.toString().endsWith(".params")).findFirst().orElseThrow();
      }
      Files.setLastModifiedTime(weights, FileTime.from(Instant.now().plusSeconds(5)));
      cache.network(source, Device.cpu(), 3, 0).close();
      assertEquals(2, cache.modelLoads());
      cache.network(SourceModelRef.parse("scratch:thaw-cnn-w4"), Device.cpu(), 3, 0).close();
      assertEquals(2, cache.modelLoads());
    }
  }

  @Test
  void aCachedTaskStartsFasterThanOneLoadedFromDisk() {
    // Not a benchmark: prints the two timings (median of 9) and asserts nothing tight.
    try (TaskCache cache = new TaskCache()) {
      cache.data(TARGET, INPUT, 1);
      cache.network(source, Device.cpu(), 3, 0).close();
      double diskData = median(() -> TrialInputs.FROM_DISK.data(TARGET, INPUT, 1));
      double cachedData = median(() -> cache.data(TARGET, INPUT, 1));
      double diskModel =
          median(
              () -> {
                TrialInputs.FROM_DISK.network(source, Device.cpu(), 3, 0).close();
                return null;
              });
      double cachedModel =
          median(
              () -> {
                cache.network(source, Device.cpu(), 3, 0).close();
                return null;
              });
      System.out.printf(
          Locale.ROOT,
          "task start from disk: data %.1f ms + model %.1f ms = %.1f ms%n"
              + "task start from the cache: data %.3f ms + model %.1f ms = %.1f ms%n",
          diskData,
          diskModel,
          diskData + diskModel,
          cachedData,
          cachedModel,
          cachedData + cachedModel);
      assertEquals(1, cache.dataLoads());
      assertEquals(1, cache.modelLoads());
      // The data side is a lookup against a parse and split, far apart even on a busy machine; the
      // model side (a copy of the weights against reading them) is printed, not asserted, because
      // with a tiny test model the two are close enough for load on the machine to swap them.
      org.junit.jupiter.api.Assertions.assertTrue(
          cachedData < diskData, "cached data was not faster than loading it from disk");
    }
  }

  private static double median(Supplier<?> step) {
    double[] ms = new double[9];
    for (int i = 0; i < ms.length; i++) {
      long t0 = System.nanoTime();
      step.get();
      ms[i] = (System.nanoTime() - t0) / 1e6;
    }
    Arrays.sort(ms);
    return ms[ms.length / 2];
  }

  private static List<float[]> backbone(TransferNetwork net) {
    return net.groups().stream()
        .flatMap(g -> g.parameters().stream())
        .map(Parameter::getArray)
        .map(a -> a.toFloatArray())
        .toList();
  }

  private static void assertValuesEqual(List<float[]> expected, List<float[]> actual) {
    assertEquals(expected.size(), actual.size());
    for (int i = 0; i < expected.size(); i++) {
      assertArrayEquals(expected.get(i), actual.get(i), "parameter " + i);
    }
  }
}
