package dev.thaw.train;

import static org.junit.jupiter.api.Assertions.assertEquals;

import ai.djl.ndarray.types.Shape;
import org.junit.jupiter.api.Test;

/** Evaluation batches are sized by their pixels, so a large input cannot fill the memory. */
class TrainingLoopTest {

  @Test
  void evaluationBatchesShrinkWithTheInputSide() {
    assertEquals(512, TrainingLoop.evaluationBatch(new Shape(2000, 1, 28, 28)));
    assertEquals(512, TrainingLoop.evaluationBatch(new Shape(2000, 1, 8, 8)));
    assertEquals(43, TrainingLoop.evaluationBatch(new Shape(2000, 3, 96, 96)));
    assertEquals(8, TrainingLoop.evaluationBatch(new Shape(2000, 3, 224, 224)));
    assertEquals(1, TrainingLoop.evaluationBatch(new Shape(5, 3, 1024, 1024)));
  }
}
