package dev.thaw.train.features;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.Device;
import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.index.NDIndex;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Block;
import ai.djl.nn.SequentialBlock;
import ai.djl.nn.norm.Dropout;
import ai.djl.training.ParameterStore;
import dev.thaw.model.SourceModelRef;
import dev.thaw.model.SourceModels;
import dev.thaw.model.TransferNetwork;
import dev.thaw.train.TrialData;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

/**
 * Where the built-in CNN's prefixes end, when a prefix refuses the cache, what its digest depends
 * on, and that {@link PrefixRunner}'s features equal what a training step computes, bit for bit.
 */
class FeaturePrefixTest {

  private static TransferNetwork cnn(long seed) {
    Engine.getInstance().setRandomSeed((int) seed);
    return SourceModels.open(SourceModelRef.parse("scratch:thaw-cnn-w4"), Device.cpu(), 3, 0.2);
  }

  @Test
  void theCnnsGroupsAreItsFirstBlocksAndEveryFrozenPrefixCanBeCached() {
    try (TransferNetwork net = cnn(1)) {
      net.setFreezeDepth(4);
      FeaturePrefix prefix = FeaturePrefix.of(net);
      for (int k = 1; k <= 4; k++) {
        assertEquals(k, prefix.end(k), "depth " + k);
        assertNull(prefix.refusal(k), "depth " + k);
      }
      assertTrue(prefix.refusal(0).contains("no frozen group"), prefix.refusal(0));
    }
  }

  @Test
  void aPrefixWithATrainableGroupOrADropoutLayerIsRefused() {
    try (TransferNetwork net = cnn(1)) {
      net.setFreezeDepth(2);
      assertNull(FeaturePrefix.of(net).refusal(2));
      assertEquals(
          "g2 trains (weight is not frozen)", FeaturePrefix.of(net).refusal(3), "g2 is not frozen");
      ((SequentialBlock) net.blocks().get(1)).add(Dropout.builder().optRate(0.5f).build());
      String why = FeaturePrefix.of(net).refusal(2);
      assertTrue(why != null && why.contains("ai.djl.nn.norm.Dropout"), why);
    }
  }

  @Test
  void theDigestIsTheWeightsDigestSameSeedSameDigest() {
    try (TransferNetwork a = cnn(1);
        TransferNetwork b = cnn(1);
        TransferNetwork c = cnn(2)) {
      assertEquals(FeaturePrefix.of(a).digest(2), FeaturePrefix.of(b).digest(2));
      assertNotEquals(FeaturePrefix.of(a).digest(2), FeaturePrefix.of(c).digest(2));
      assertNotEquals(FeaturePrefix.of(a).digest(2), FeaturePrefix.of(a).digest(3));
    }
  }

  @Test
  void cachedFeaturesEqualTheTrainingStepsPrefixBitForBit() {
    try (TransferNetwork net = cnn(3);
        NDManager m = NDManager.newBaseManager()) {
      net.setFreezeDepth(3);
      NDArray images =
          m.randomUniform(0, 256, new Shape(50, 1, 28, 28)).toType(DataType.UINT8, false);
      NDArray cached = PrefixRunner.run(net.blocks(), 0, 3, images, 512, m);
      assertEquals(new Shape(50, 16, 7, 7), cached.getShape());
      SplittableRandom random = new SplittableRandom(1);
      for (int batch : new int[] {16, 7, 2}) {
        long[] rows = random.longs(batch, 0, 50).toArray();
        NDArray index = m.create(rows);
        NDList x = new NDList(TrialData.unitFloats(images.get(new NDIndex("{}", index))));
        ParameterStore store = new ParameterStore(m, false);
        for (Block block : net.blocks().subList(0, 3)) {
          x = block.forward(store, x, true);
        }
        assertArrayEquals(
            cached.get(new NDIndex("{}", index)).toFloatArray(),
            x.singletonOrThrow().toFloatArray(),
            "batch of " + batch);
      }
      // From a shallower prefix's features, the rest of the way gives the same.
      NDArray depth1 = PrefixRunner.run(net.blocks(), 0, 1, images, 512, m);
      assertArrayEquals(
          cached.toFloatArray(),
          PrefixRunner.run(net.blocks(), 1, 3, depth1, 20, m).toFloatArray());
    }
  }
}
