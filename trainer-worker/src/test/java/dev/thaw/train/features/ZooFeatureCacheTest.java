package dev.thaw.train.features;

import static dev.thaw.train.features.FeatureCacheExactnessTest.assertSameMetrics;
import static dev.thaw.train.features.FeatureCacheExactnessTest.run;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.Device;
import dev.thaw.model.SourceModelRef;
import dev.thaw.model.SourceModels;
import dev.thaw.model.TransferNetwork;
import dev.thaw.train.FineTuner;
import dev.thaw.trial.BackboneLearningRates;
import dev.thaw.trial.FreezeDepth;
import dev.thaw.trial.LearningRates;
import dev.thaw.trial.OptimizerSpec;
import dev.thaw.trial.TargetSpec;
import dev.thaw.trial.TrialSpec;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.EnabledIf;
import org.junit.jupiter.api.io.TempDir;

/**
 * The feature cache on the real ImageNet MobileNetV2 (BatchNorm, residual blocks, ReLU6 and input
 * normalisation in the prefix): a head-only warm-up and a stage with g7, g8 trained give the same
 * metrics cached and uncached; a prefix whose BatchNorm trains is refused.
 */
@EnabledIf("dev.thaw.model.zoo.PackagedFiles#zooWeightsPresent")
class ZooFeatureCacheTest {
  private static final String SOURCE = "zoo:mobilenet_v2";
  @TempDir Path dir;

  @Test
  void cachedAndUncachedMobileNetTrialsGiveTheSameMetrics() {
    TrialSpec spec =
        new TrialSpec(
            "mobilenet",
            SOURCE,
            new TargetSpec("fashion-mnist[0-2]", 0.003, 12, null),
            FreezeDepth.of(7),
            new LearningRates(2e-2, new BackboneLearningRates.Uniform(1e-2)),
            new OptimizerSpec(OptimizerSpec.Name.SGD, 0.9, null),
            12,
            0.2,
            1,
            1,
            null,
            11L,
            64,
            null,
            null,
            null,
            null);
    FineTuner plain = new FineTuner(Device.cpu(), dir.resolve("runs"));
    try (FeatureCache cache =
        FeatureCache.open(new FeatureCacheSettings(256L << 20, 0, dir.resolve("features")))) {
      var uncached = run(plain, spec);
      var cached = run(plain.withFeatureCache(cache), spec.withId("mobilenet-cached"));
      assertSameMetrics(uncached.result(), cached.result());
      assertEquals(2, cached.stats().cachedStages(), cached.stats().toString());
      assertTrue(cached.stats().uncached().isEmpty(), cached.stats().toString());
      // Head-only features are 1,280 floats per image; after g6 160 x 2 x 2.
      long images = cached.result().trainExamples() + cached.result().validationExamples();
      assertEquals(images * (1280 + 640) * 4, cached.stats().bytes());
    }
  }

  @Test
  void aPrefixWhoseBatchNormTrainsIsRefusedAndTheZooGroupsFollowTheNormalisation() {
    try (TransferNetwork net =
        SourceModels.open(SourceModelRef.parse(SOURCE), Device.cpu(), 3, 0.2)) {
      net.setFreezeDepth(5);
      FeaturePrefix prefix = FeaturePrefix.of(net);
      assertEquals(6, prefix.end(5), "input normalisation, then g0..g4");
      assertNull(prefix.refusal(5));
      net.groups().get(3).batchNorms().get(0).useRunningStatistics(false);
      assertEquals(
          "the prefix holds a BatchNorm layer that trains", FeaturePrefix.of(net).refusal(5));
      assertNull(FeaturePrefix.of(net).refusal(3), "g0..g2 are still cacheable");
    }
  }
}
