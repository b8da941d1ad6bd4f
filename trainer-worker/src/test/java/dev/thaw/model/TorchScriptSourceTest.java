package dev.thaw.model;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;

import ai.djl.Device;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Parameter;
import ai.djl.training.Trainer;
import dev.thaw.data.ThawPaths;
import dev.thaw.train.GroupLearningRates;
import dev.thaw.train.TrainingLoop;
import dev.thaw.trial.OptimizerSpec;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.EnabledIf;

/**
 * Fine-tunes a real TorchScript backbone. The fixture needs Python torch, which the tests do not
 * install (it is gigabytes): {@code bench/trainer-throughput/pytorch_eager.py --export-torchscript
 * ~/.cache/thaw/fixtures/thaw-cnn.pt} writes it; without it this test is skipped.
 */
@EnabledIf("fixturePresent")
class TorchScriptSourceTest {
  static Path fixture() {
    return ThawPaths.cacheDir().resolve("fixtures/thaw-cnn.pt");
  }

  static boolean fixturePresent() {
    return Files.isRegularFile(fixture()) && Files.isRegularFile(Path.of(fixture() + ".thaw.json"));
  }

  @Test
  void groupsComeFromTheSidecarAndFrozenOnesStayPut() {
    try (TransferNetwork net =
        SourceModels.open(SourceModelRef.parse(fixture().toString()), Device.cpu(), 3, 0.0)) {
      assertEquals(
          List.of("g0", "g1", "g2", "g3"), net.groups().stream().map(LayerGroup::name).toList());
      assertEquals(3, net.headClasses());
      net.setFreezeDepth(2);
      float[][] before = snapshot(net);
      double[] rates = {1e-2, 1e-2, 1e-2, 1e-2};
      try (Trainer trainer =
              net.model()
                  .newTrainer(
                      TrainingLoop.config(
                          OptimizerSpec.defaults(),
                          new GroupLearningRates(net.groups(), rates, 1e-2),
                          Device.cpu()));
          NDManager data = net.model().getNDManager().newSubManager()) {
        NDArray x = data.randomUniform(0, 1, new Shape(32, 1, 28, 28));
        NDArray y = data.randomInteger(0, 3, new Shape(32), DataType.INT64);
        TrainingLoop.trainEpoch(trainer, x, y, 16, new SplittableRandom(1));
      }
      float[][] after = snapshot(net);
      int i = 0;
      for (int g = 0; g < 4; g++) {
        for (Parameter ignored : net.groups().get(g).parameters()) {
          if (g < 2) {
            assertArrayEquals(before[i], after[i], 0f, "frozen g" + g);
          } else {
            assertFalse(java.util.Arrays.equals(before[i], after[i]), "unfrozen g" + g);
          }
          i++;
        }
      }
    }
  }

  private static float[][] snapshot(TransferNetwork net) {
    return net.groups().stream()
        .flatMap(g -> g.parameters().stream())
        .map(p -> p.getArray().toFloatArray())
        .toArray(float[][]::new);
  }
}
