package dev.thaw.model.nn;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.Device;
import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.LambdaBlock;
import ai.djl.training.GradientCollector;
import ai.djl.training.ParameterStore;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** A chain releases what it made and used, keeps its input and output, and gradients still flow. */
class ChainTest {

  @Test
  void intermediatesAreReleasedAndTheGradientIsStillRight() {
    try (NDManager m = NDManager.newBaseManager(Device.cpu())) {
      List<NDArray> made = new ArrayList<>();
      Chain chain = new Chain();
      chain.add(new LambdaBlock(l -> keep(made, l.singletonOrThrow().mul(3))));
      chain.add(new LambdaBlock(l -> keep(made, l.singletonOrThrow().square())));
      chain.add(new LambdaBlock(l -> l)); // passes its input on: nothing to release
      chain.add(new LambdaBlock(l -> keep(made, l.singletonOrThrow().add(1))));
      chain.initialize(m, DataType.FLOAT32, new Shape(2));
      made.clear(); // initialising ran the lambdas once to infer shapes
      NDArray x = m.create(new float[] {1, 2}, new Shape(2));
      x.setRequiresGradient(true);
      NDArray y;
      try (GradientCollector gc = Engine.getInstance().newGradientCollector()) {
        y = chain.forward(new ParameterStore(m, false), new NDList(x), true).singletonOrThrow();
        gc.backward(y.sum());
      }
      assertTrue(made.get(0).isReleased(), "3x released once squared");
      assertTrue(made.get(1).isReleased(), "(3x)^2 released once the identity passed it on");
      assertFalse(made.get(2).isReleased(), "the output is the caller's");
      assertFalse(x.isReleased(), "the input is the caller's");
      assertArrayEquals(new float[] {10, 37}, y.toFloatArray());
      // d/dx (3x)^2 = 18x, from arrays Java let go of before backward
      assertArrayEquals(new float[] {18, 36}, x.getGradient().toFloatArray());
    }
  }

  private static NDList keep(List<NDArray> made, NDArray array) {
    made.add(array);
    return new NDList(array);
  }
}
