package dev.thaw.model.nn;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;

import ai.djl.Device;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Parameter;
import ai.djl.training.ParameterStore;
import dev.thaw.model.LayerGroup;
import dev.thaw.trial.BatchNormMode;
import org.junit.jupiter.api.Test;

/** BatchNorm2d follows PyTorch's training and inference semantics and its switch. */
class BatchNorm2dTest {

  @Test
  void trainingMovesTheRunningStatisticsByPyTorchsMomentum() {
    try (NDManager m = NDManager.newBaseManager(Device.cpu())) {
      BatchNorm2d bn = new BatchNorm2d(1e-5, 0.1);
      bn.initialize(m, DataType.FLOAT32, new Shape(2, 1, 1, 2));
      // channel 0 holds 1, 3, 5, 7: mean 4, unbiased variance 20/3
      NDArray x = m.create(new float[] {1, 3, 5, 7}, new Shape(2, 1, 1, 2));
      bn.forward(new ParameterStore(m, false), new NDList(x), true);
      assertEquals(0.1f * 4, runningMean(bn), 1e-6);
      assertEquals(0.9f + 0.1f * 20f / 3, runningVar(bn), 1e-5);
    }
  }

  @Test
  void withRunningStatisticsOnItNormalisesByThemAndChangesNothing() {
    try (NDManager m = NDManager.newBaseManager(Device.cpu())) {
      BatchNorm2d bn = new BatchNorm2d(1e-5, 0.1);
      bn.initialize(m, DataType.FLOAT32, new Shape(2, 1, 1, 2));
      bn.useRunningStatistics(true);
      NDArray x = m.create(new float[] {1, 3, 5, 7}, new Shape(2, 1, 1, 2));
      NDArray y = bn.forward(new ParameterStore(m, false), new NDList(x), true).singletonOrThrow();
      float scale = (float) (1 / Math.sqrt(1 + 1e-5));
      assertArrayEquals(
          new float[] {1 * scale, 3 * scale, 5 * scale, 7 * scale}, y.toFloatArray(), 1e-6f);
      assertEquals(0, runningMean(bn));
      assertEquals(1, runningVar(bn));
    }
  }

  @Test
  void aGroupsRunningStatisticsNeverRequireGradientsAndFrozenNormsFollowTheMode() {
    try (NDManager m = NDManager.newBaseManager(Device.cpu())) {
      BatchNorm2d bn = new BatchNorm2d(1e-5, 0.1);
      bn.initialize(m, DataType.FLOAT32, new Shape(2, 1, 1, 2));
      LayerGroup group = LayerGroup.of("g0", bn);
      group.setMode(true, BatchNormMode.TRAIN);
      group.setMode(false, BatchNormMode.TRAIN);
      for (Parameter p : group.parameters()) {
        boolean statistic =
            p.getType() == Parameter.Type.RUNNING_MEAN || p.getType() == Parameter.Type.RUNNING_VAR;
        assertEquals(!statistic, p.requiresGradient(), p.getName());
      }
      assertFalse(bn.usesRunningStatistics());
      group.setMode(false, BatchNormMode.FROZEN);
      assertEquals(true, bn.usesRunningStatistics());
      group.parameters().forEach(p -> assertFalse(p.requiresGradient(), p.getName()));
    }
  }

  private static float runningMean(BatchNorm2d bn) {
    return bn.getParameters().get("runningMean").getArray().getFloat(0);
  }

  private static float runningVar(BatchNorm2d bn) {
    return bn.getParameters().get("runningVar").getArray().getFloat(0);
  }
}
