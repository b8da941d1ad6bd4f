package dev.thaw.train;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.index.NDIndex;

/** Where the inputs of a training step come from. */
@FunctionalInterface
public interface TrainBatches {

  /**
   * The inputs of the examples at {@code indices}, float32 in [0, 1], N x C x H x W, attached to
   * {@code scope}.
   *
   * @param scope the step's manager, closed after the step
   * @param index the indices as an array on the device
   * @param indices the same indices on the host
   */
  NDArray get(NDManager scope, NDArray index, long[] indices);

  /** Gathers the rows of an array already on the device (bytes or floats). */
  static TrainBatches gather(NDArray x) {
    return (scope, index, indices) -> {
      NDArray batch = x.get(new NDIndex("{}", index));
      batch.attach(scope);
      return TrialData.unitFloats(batch);
    };
  }
}
