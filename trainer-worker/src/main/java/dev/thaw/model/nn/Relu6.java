package dev.thaw.model.nn;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.AbstractBlock;
import ai.djl.training.ParameterStore;
import ai.djl.util.PairList;

/**
 * ReLU6, {@code min(max(x, 0), 6)}, computed the way that is fastest for where it runs. When it
 * must pass a gradient (a training step in a trainable group) it computes {@code relu(x) - relu(x -
 * 6)}: the same values (both subtractions are exact in float32 below 2^24), with a backward pass
 * made of ReLU gradients, one fused kernel each. DJL's {@code Activation.relu6Block()} (a ReLU,
 * then a minimum against a scalar tensor) and a clamp both differentiate through comparison masks
 * and {@code where}, which made MobileNetV2's backward pass about 40% slower on a CPU (PyTorch's
 * own ReLU6 is a hardtanh with a fused backward, which DJL does not expose). Where no gradient is
 * needed (inference, and frozen groups: see {@link #useInferenceMode}) it is one clamp, a quarter
 * of the forward work. The gradient at exactly 6 is 1 instead of hardtanh's 0, a set of measure
 * zero.
 */
public final class Relu6 extends AbstractBlock implements InferenceModeSwitch {
  private static final byte VERSION = 1;
  private volatile boolean inferenceOnly;

  public Relu6() {
    super(VERSION);
  }

  @Override
  public void useInferenceMode(boolean on) {
    inferenceOnly = on;
  }

  @Override
  protected NDList forwardInternal(
      ParameterStore store, NDList inputs, boolean training, PairList<String, Object> params) {
    NDArray x = inputs.singletonOrThrow();
    if (!training || inferenceOnly) {
      return new NDList(x.clip(0, 6));
    }
    // Temporaries are released at once: autograd keeps what the backward pass needs (see Chain).
    NDArray shifted = x.sub(6f);
    NDArray above = shifted.getNDArrayInternal().relu();
    shifted.close();
    NDArray positive = x.getNDArrayInternal().relu();
    NDArray out = positive.sub(above);
    positive.close();
    above.close();
    return new NDList(out);
  }

  @Override
  public Shape[] getOutputShapes(Shape[] inputShapes) {
    return new Shape[] {inputShapes[0]};
  }
}
