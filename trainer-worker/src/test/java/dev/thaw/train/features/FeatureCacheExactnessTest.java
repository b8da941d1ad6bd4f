package dev.thaw.train.features;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.Device;
import dev.thaw.train.FineTuner;
import dev.thaw.train.TrialObserver;
import dev.thaw.trial.Augmentation;
import dev.thaw.trial.BackboneLearningRates;
import dev.thaw.trial.EpochMetrics;
import dev.thaw.trial.LearningRates;
import dev.thaw.trial.OptimizerSpec;
import dev.thaw.trial.TargetSpec;
import dev.thaw.trial.TrialResult;
import dev.thaw.trial.TrialSpec;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A trial trained on cached frozen-prefix features gives the same per-epoch metrics as the same
 * trial run uncached, on the built-in CNN (a head-only warm-up, then two groups trained, dropout
 * on, so the engine's random numbers must be drawn alike), and later trials reuse what earlier ones
 * cached.
 */
class FeatureCacheExactnessTest {
  static final double TOLERANCE = 1e-5;
  @TempDir Path dir;

  static TrialSpec cnn(String id, int freezeDepth, int warmup, long seed) {
    return TrialSpec.builder("scratch:thaw-cnn-w4", new TargetSpec("mnist[0-2]", 0.3, 40, null))
        .id(id)
        .freezeDepth(freezeDepth)
        .learningRates(new LearningRates(5e-2, new BackboneLearningRates.Uniform(2e-2)))
        .optimizer(new OptimizerSpec(OptimizerSpec.Name.SGD, 0.9, null))
        .batchSize(16)
        .dropout(0.3)
        .epochs(2)
        .warmupEpochs(warmup)
        .seed(seed)
        .build();
  }

  /** Runs a trial and returns its result with the cache's report for it. */
  static Run run(FineTuner tuner, TrialSpec spec) {
    AtomicReference<FeatureCacheStats> stats = new AtomicReference<>();
    TrialResult r =
        tuner.run(
            spec,
            new TrialObserver() {
              @Override
              public void featureCache(FeatureCacheStats s) {
                stats.set(s);
              }
            });
    return new Run(r, stats.get());
  }

  record Run(TrialResult result, FeatureCacheStats stats) {}

  static void assertSameMetrics(TrialResult expected, TrialResult actual) {
    List<EpochMetrics> a = expected.epochs();
    List<EpochMetrics> b = actual.epochs();
    assertEquals(a.size(), b.size(), "epochs run");
    for (int i = 0; i < a.size(); i++) {
      String at = "epoch " + a.get(i).epoch() + " ";
      assertEquals(a.get(i).stage(), b.get(i).stage(), at + "stage");
      assertEquals(a.get(i).trainLoss(), b.get(i).trainLoss(), TOLERANCE, at + "train_loss");
      assertEquals(a.get(i).valLoss(), b.get(i).valLoss(), TOLERANCE, at + "val_loss");
      assertEquals(a.get(i).valAccuracy(), b.get(i).valAccuracy(), TOLERANCE, at + "val_acc");
    }
    assertEquals(expected.finalValLoss(), actual.finalValLoss(), TOLERANCE, "final val_loss");
  }

  private FeatureCacheSettings settings() {
    return new FeatureCacheSettings(64L << 20, 64L << 20, dir.resolve("features"));
  }

  @Test
  void gradualUnfreezingCachesEachShallowerDepthAndMatchesTheUncachedRun() {
    FineTuner plain = new FineTuner(Device.cpu(), dir.resolve("runs"));
    // Depths 3, 2, 1, 0 in epochs 1..4 under an STLR schedule: each new depth is a new stage.
    TrialSpec spec =
        cnn("gradual", 0, 0, 7L).toBuilder()
            .epochs(4)
            .unfreezeEvery(1)
            .lrSchedule(dev.thaw.trial.LrSchedule.STLR)
            .build();
    try (FeatureCache cache = FeatureCache.open(settings())) {
      Run uncached = run(plain, spec);
      Run cached = run(plain.withFeatureCache(cache), spec.withId("gradual-cached"));
      assertSameMetrics(uncached.result(), cached.result());
      assertEquals(3, cached.stats().cachedStages(), cached.stats().toString());
      assertEquals(6, cached.stats().misses(), cached.stats().toString());
    }
  }

  @Test
  void cachedAndUncachedTrialsGiveTheSameMetricsAndLaterTrialsHit() {
    FineTuner plain = new FineTuner(Device.cpu(), dir.resolve("runs"));
    try (FeatureCache cache = FeatureCache.open(settings())) {
      FineTuner cached = plain.withFeatureCache(cache);
      TrialSpec spec = cnn("cnn", 2, 1, 7L);

      Run uncached = run(plain, spec);
      Run first = run(cached, spec.withId("cnn-cached"));
      Run second = run(cached, spec.withId("cnn-cached-again"));

      assertEquals(FeatureCacheStats.DISABLED, uncached.stats());
      assertSameMetrics(uncached.result(), first.result());
      assertSameMetrics(uncached.result(), second.result());
      // Warm-up (depth 4) and fine-tuning (depth 2) each look up training and validation sets.
      assertEquals(2, first.stats().cachedStages(), first.stats().toString());
      assertEquals(
          4, first.stats().misses() + first.stats().partialHits(), first.stats().toString());
      assertEquals(0, first.stats().hits(), first.stats().toString());
      assertEquals(4, second.stats().hits(), second.stats().toString());
      assertEquals(0, second.stats().misses(), second.stats().toString());
      assertTrue(second.stats().bytes() > 0);
      assertTrue(cache.store().memoryEntries() == 4, "entries " + cache.store().memoryEntries());
      // The trained metric moved, so equal metrics are not equal by accident of a frozen model.
      assertTrue(
          first.result().epochs().get(0).trainLoss() != first.result().epochs().get(2).trainLoss());
    }
  }

  @Test
  void theCacheNamesWhatItHoldsByTaskAndDepthForDispatch() {
    try (FeatureCache base = FeatureCache.open(settings())) {
      FeatureCache cache = base.withTaskNames(spec -> "task-" + spec.seed());
      FineTuner cached = new FineTuner(Device.cpu(), dir.resolve("runs")).withFeatureCache(cache);
      assertEquals(List.of(), cache.heldPrefixes());
      run(cached, cnn("named", 2, 1, 5L));
      assertEquals(List.of("task-5@2", "task-5@4"), cache.heldPrefixes(), "most recent first");
      assertEquals(List.of(), FeatureCache.off().heldPrefixes());
    }
  }

  @Test
  void anAugmentedTrialRunsUncachedAndSaysWhy() {
    try (FeatureCache cache = FeatureCache.open(settings())) {
      FineTuner cached = new FineTuner(Device.cpu(), dir.resolve("runs")).withFeatureCache(cache);
      TrialSpec plain = cnn("augmented", 2, 1, 3L);
      TrialSpec augmented =
          new TrialSpec(
              plain.id(),
              plain.sourceModel(),
              plain.target(),
              plain.freezeDepth(),
              plain.learningRates(),
              plain.optimizer(),
              plain.batchSize(),
              plain.dropout(),
              plain.epochs(),
              plain.warmupEpochs(),
              null,
              plain.seed(),
              null,
              Augmentation.CROP_FLIP,
              null,
              null,
              null);
      Run r = run(cached, augmented);
      assertEquals(0, r.stats().cachedStages());
      assertEquals(0, r.stats().misses() + r.stats().hits());
      assertEquals(
          List.of("warmup: augmentation crop_flip", "fine_tune: augmentation crop_flip"),
          r.stats().uncached());
      assertEquals(0, cache.store().memoryEntries());
    }
  }

  @Test
  void aDifferentSeedIsADifferentScratchModelAndMisses() {
    try (FeatureCache cache = FeatureCache.open(settings())) {
      FineTuner cached = new FineTuner(Device.cpu(), dir.resolve("runs")).withFeatureCache(cache);
      run(cached, cnn("seed-1", 3, 0, 1L));
      Run other = run(cached, cnn("seed-2", 3, 0, 2L));
      assertEquals(0, other.stats().hits(), other.stats().toString());
      assertEquals(2, other.stats().misses(), other.stats().toString());
    }
  }

  @Test
  void aDeeperStageStartsFromTheDeepestShallowerPrefixCached() {
    try (FeatureCache cache = FeatureCache.open(settings())) {
      FineTuner plain = new FineTuner(Device.cpu(), dir.resolve("runs"));
      FineTuner cached = plain.withFeatureCache(cache);
      run(cached, cnn("depth-1", 1, 0, 4L));
      TrialSpec deeper = cnn("depth-3", 3, 0, 4L);
      Run partial = run(cached, deeper);
      assertEquals(2, partial.stats().partialHits(), partial.stats().toString());
      assertEquals(0, partial.stats().misses(), partial.stats().toString());
      assertSameMetrics(run(plain, deeper.withId("depth-3-plain")).result(), partial.result());
    }
  }
}
