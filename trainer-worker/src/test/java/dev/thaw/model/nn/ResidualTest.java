package dev.thaw.model.nn;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.Device;
import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.LambdaBlock;
import ai.djl.training.ParameterStore;
import org.junit.jupiter.api.Test;

/** Stochastic depth drops whole examples' branches in training only, scaled to keep the mean. */
class ResidualTest {
  private static final float[] ONES = {1, 1, 1, 1, 1, 1, 1, 1};

  @Test
  void trainingDropsOrScalesEachExamplesBranchAndInferenceAddsItWhole() {
    Engine.getInstance().setRandomSeed(3);
    try (NDManager m = NDManager.newBaseManager(Device.cpu())) {
      // body(x) = 2x, so an example's output is x + 2x / keep or x alone when dropped
      Residual residual =
          new Residual(new LambdaBlock(l -> new NDList(l.singletonOrThrow().mul(2))), 0.5);
      residual.initialize(m, DataType.FLOAT32, new Shape(8, 1, 1, 1));
      NDArray x = m.create(ONES, new Shape(8, 1, 1, 1));
      ParameterStore store = new ParameterStore(m, false);
      float[] trained =
          residual.forward(store, new NDList(x), true).singletonOrThrow().toFloatArray();
      boolean dropped = false;
      boolean kept = false;
      for (float v : trained) {
        assertTrue(v == 1f || v == 5f, "x alone or x + 2x / 0.5, got " + v);
        dropped |= v == 1f;
        kept |= v == 5f;
      }
      assertTrue(dropped && kept, "8 draws at p = 0.5 dropped some and kept some");
      float[] inference =
          residual.forward(store, new NDList(x), false).singletonOrThrow().toFloatArray();
      assertArrayEquals(new float[] {3, 3, 3, 3, 3, 3, 3, 3}, inference);
      residual.useInferenceMode(true);
      float[] frozen =
          residual.forward(store, new NDList(x), true).singletonOrThrow().toFloatArray();
      assertArrayEquals(inference, frozen, "a frozen group's residual drops nothing");
    }
  }
}
