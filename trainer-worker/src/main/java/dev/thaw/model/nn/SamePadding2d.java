package dev.thaw.model.nn;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.AbstractBlock;
import ai.djl.training.ParameterStore;
import ai.djl.util.PairList;

/**
 * Zero padding before a convolution so that it behaves like TensorFlow's {@code padding='SAME'}:
 * the output is {@code ceil(input / stride)} wide and the odd pixel of padding goes right and
 * bottom. Networks ported from TensorFlow (EfficientNet) need it where the padding is uneven, which
 * PyTorch's symmetric convolution padding cannot express. Computed from each input's size, so any
 * input size works.
 */
public final class SamePadding2d extends AbstractBlock {
  private static final byte VERSION = 1;

  private final int kernel;
  private final int stride;

  /**
   * @param kernel the convolution's kernel size (square)
   * @param stride its stride
   */
  public SamePadding2d(int kernel, int stride) {
    super(VERSION);
    this.kernel = kernel;
    this.stride = stride;
  }

  /** Total padding of one spatial axis of {@code size} pixels. */
  public static int total(int size, int kernel, int stride) {
    int out = (size + stride - 1) / stride;
    return Math.max((out - 1) * stride + kernel - size, 0);
  }

  @Override
  protected NDList forwardInternal(
      ParameterStore store, NDList inputs, boolean training, PairList<String, Object> params) {
    NDArray x = inputs.singletonOrThrow();
    Shape s = x.getShape();
    int h = total((int) s.get(2), kernel, stride);
    int w = total((int) s.get(3), kernel, stride);
    if (h == 0 && w == 0) {
      return inputs;
    }
    // PyTorch's pad order: last axis first, (before, after) pairs.
    return new NDList(x.pad(new Shape(w / 2, w - w / 2, h / 2, h - h / 2), 0));
  }

  @Override
  public Shape[] getOutputShapes(Shape[] inputShapes) {
    Shape s = inputShapes[0];
    return new Shape[] {
      new Shape(
          s.get(0),
          s.get(1),
          s.get(2) + total((int) s.get(2), kernel, stride),
          s.get(3) + total((int) s.get(3), kernel, stride))
    };
  }
}
