package dev.thaw.model.nn;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.nn.Block;
import ai.djl.nn.SequentialBlock;
import ai.djl.training.ParameterStore;
import ai.djl.util.PairList;

/**
 * A {@link SequentialBlock} that lets go of each intermediate result as soon as the next block has
 * used it. DJL otherwise keeps every array a forward pass makes until the step's scope closes,
 * where PyTorch frees a tensor when its last reference goes; autograd holds its own references to
 * what the backward pass needs, so releasing Java's handle early is safe and keeps a step's memory
 * near PyTorch's (MobileNetV2 at 224 x 224, batch 32: about 7 GB otherwise). Same parameters and
 * saved format as a {@code SequentialBlock}.
 *
 * <p>A forward pass may start at a later child ({@link #startForwardAt}): the caller then feeds
 * what the children before it would have made. Thaw's feature cache does so on a network's root to
 * train only the layers after a cached, frozen prefix.
 */
public class Chain extends SequentialBlock {
  private volatile int firstChild;

  /**
   * Makes forward passes start at child {@code index} (0: the first, as usual); the input must then
   * be what child {@code index - 1} outputs. Shapes and initialisation still cover every child.
   */
  public void startForwardAt(int index) {
    if (index < 0 || index > getChildren().size()) {
      throw new IllegalArgumentException(
          "a forward pass can start at child 0 to "
              + getChildren().size()
              + " of this chain (got "
              + index
              + ")");
    }
    firstChild = index;
  }

  /** The child forward passes start at (0 unless {@link #startForwardAt} moved it). */
  public int forwardStart() {
    return firstChild;
  }

  @Override
  protected NDList forwardInternal(
      ParameterStore store, NDList inputs, boolean training, PairList<String, Object> params) {
    NDList current = inputs;
    var children = getChildren().values();
    for (Block block : children.subList(firstChild, children.size())) {
      NDList next = block.forward(store, current, training);
      if (current != inputs) {
        release(current, next);
      }
      current = next;
    }
    return current;
  }

  /** Closes the arrays of {@code used} that {@code next} does not pass on. */
  static void release(NDList used, NDList next) {
    for (NDArray array : used) {
      boolean passedOn = false;
      for (NDArray out : next) {
        passedOn |= out == array;
      }
      if (!passedOn) {
        array.close();
      }
    }
  }
}
