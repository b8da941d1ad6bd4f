package dev.thaw.model.nn;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.AbstractBlock;
import ai.djl.nn.Block;
import ai.djl.training.ParameterStore;
import ai.djl.util.PairList;

/**
 * {@code x + body(x)}, optionally with stochastic depth: in training steps each example's body
 * output is dropped with probability {@code dropRate} and the kept ones scaled by {@code 1 / (1 -
 * dropRate)} (EfficientNet's "drop connect"). Stochastic depth is off while {@link
 * #useInferenceMode(boolean)} is on, which Thaw does for the blocks of frozen groups.
 */
public final class Residual extends AbstractBlock implements InferenceModeSwitch {
  private static final byte VERSION = 1;

  private final Block body;
  private final float dropRate;
  private volatile boolean inferenceOnly;

  /**
   * @param body the block whose output is added to its input (same shape in and out)
   * @param dropRate stochastic depth rate in [0, 1); 0 turns it off
   */
  public Residual(Block body, double dropRate) {
    super(VERSION);
    if (!(dropRate >= 0 && dropRate < 1)) {
      throw new IllegalArgumentException("dropRate must be in [0, 1) (got " + dropRate + ")");
    }
    this.body = addChildBlock("body", body);
    this.dropRate = (float) dropRate;
  }

  /** The stochastic depth rate (0: none). */
  public double dropRate() {
    return dropRate;
  }

  /** Turns stochastic depth off in training steps too. */
  @Override
  public void useInferenceMode(boolean on) {
    inferenceOnly = on;
  }

  /** True when stochastic depth is held off in training steps (see {@link #useInferenceMode}). */
  public boolean usesInferenceMode() {
    return inferenceOnly;
  }

  @Override
  protected NDList forwardInternal(
      ParameterStore store, NDList inputs, boolean training, PairList<String, Object> params) {
    NDArray x = inputs.singletonOrThrow();
    NDArray y = body.forward(store, inputs, training, params).singletonOrThrow();
    if (training && !inferenceOnly && dropRate > 0) {
      float keep = 1f - dropRate;
      NDManager m = x.getManager();
      // floor(keep + U[0,1)) is 1 with probability keep: one draw per example, torch's generator.
      NDArray mask =
          m.randomUniform(0f, 1f, new Shape(x.getShape().get(0), 1, 1, 1), DataType.FLOAT32)
              .add(keep)
              .floor()
              .div(keep);
      NDArray dropped = y.mul(mask);
      y.close();
      y = dropped;
    }
    // The branch's output is released at once (autograd keeps its own references; see Chain).
    NDArray out = y.add(x);
    y.close();
    return new NDList(out);
  }

  @Override
  public Shape[] getOutputShapes(Shape[] inputShapes) {
    return body.getOutputShapes(inputShapes);
  }

  @Override
  protected void initializeChildBlocks(NDManager manager, DataType dataType, Shape... inputShapes) {
    body.initialize(manager, dataType, inputShapes);
  }
}
