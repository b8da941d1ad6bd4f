package dev.thaw.train.features;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDArrays;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.nn.Block;
import ai.djl.training.ParameterStore;
import dev.thaw.train.TrialData;
import java.util.ArrayList;
import java.util.List;

/**
 * Runs a span of a network's blocks in inference mode over a whole set of inputs, a batch at a
 * time, and returns what the last block of the span outputs for every input, in input order.
 */
public final class PrefixRunner {
  private PrefixRunner() {}

  /**
   * Blocks {@code [from, to)} of {@code blocks} applied to every row of {@code inputs}.
   *
   * @param inputs N x ..., images as bytes 0..255 (turned into floats in [0, 1] as a training step
   *     does) or the float outputs of block {@code from - 1}
   * @param batch rows per forward pass (bounds the memory of the intermediate results)
   * @param into the manager (and device) of the result
   */
  public static NDArray run(
      List<Block> blocks, int from, int to, NDArray inputs, int batch, NDManager into) {
    if (from < 0 || to > blocks.size() || from >= to) {
      throw new IllegalArgumentException(
          "blocks [" + from + ", " + to + ") are not a span of " + blocks.size() + " blocks");
    }
    if (batch < 1) {
      throw new IllegalArgumentException("batch must be >= 1 (got " + batch + ")");
    }
    int size = (int) inputs.getShape().get(0);
    List<NDArray> parts = new ArrayList<>();
    try (NDManager results = into.newSubManager()) {
      for (int start = 0; start < size; start += batch) {
        int end = Math.min(size, start + batch);
        try (NDManager scope = inputs.getManager().newSubManager()) {
          NDArray x = inputs.get(start + ":" + end);
          x.attach(scope);
          ParameterStore store = new ParameterStore(scope, false);
          NDList current = new NDList(TrialData.unitFloats(x));
          for (Block block : blocks.subList(from, to)) {
            current = block.forward(store, current, false);
          }
          NDArray out = current.singletonOrThrow();
          out.attach(results);
          parts.add(out);
        }
      }
      NDArray all = parts.size() == 1 ? parts.get(0) : NDArrays.concat(new NDList(parts), 0);
      all.attach(into);
      return all;
    }
  }
}
