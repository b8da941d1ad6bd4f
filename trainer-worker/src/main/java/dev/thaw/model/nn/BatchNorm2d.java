package dev.thaw.model.nn;

import ai.djl.MalformedModelException;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.AbstractBlock;
import ai.djl.nn.Parameter;
import ai.djl.training.ParameterStore;
import ai.djl.util.PairList;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;

/**
 * Batch normalisation over the channel axis of N x C x H x W input, as PyTorch's {@code
 * BatchNorm2d}, with a switch that keeps it in inference mode while the rest of the network trains.
 *
 * <p>In training mode it normalises by the batch's statistics and moves the running ones ({@code
 * running = (1 - momentum) * running + momentum * batch}, PyTorch's convention); in inference mode,
 * or whenever {@link #useRunningStatistics(boolean)} is on, it normalises by the running statistics
 * and changes nothing. Thaw turns that on for the layers of frozen groups, so that a frozen group
 * computes the same function in every step and its running statistics stay as pretrained (fast.ai's
 * {@code train_bn=False}, Keras's {@code trainable=False} on BatchNorm).
 *
 * <p>Unlike DJL's {@code BatchNorm} it calls PyTorch's {@code batch_norm} directly on axis 1 (DJL's
 * block swaps axes around it for any axis but the last), so it needs the PyTorch engine.
 */
public final class BatchNorm2d extends AbstractBlock {
  private static final byte VERSION = 1;

  private final float epsilon;
  private final float momentum;
  private final Parameter gamma;
  private final Parameter beta;
  private final Parameter runningMean;
  private final Parameter runningVar;
  private long channels;
  private volatile boolean runningStatisticsOnly;

  /**
   * @param epsilon added to the variance (PyTorch's {@code eps}; 1e-5 by default there)
   * @param momentum weight of a batch's statistics in the running ones (PyTorch's {@code momentum},
   *     e.g. 0.1)
   */
  public BatchNorm2d(double epsilon, double momentum) {
    super(VERSION);
    this.epsilon = (float) epsilon;
    this.momentum = (float) momentum;
    gamma =
        addParameter(Parameter.builder().setName("gamma").setType(Parameter.Type.GAMMA).build());
    beta = addParameter(Parameter.builder().setName("beta").setType(Parameter.Type.BETA).build());
    runningMean =
        addParameter(
            Parameter.builder()
                .setName("runningMean")
                .setType(Parameter.Type.RUNNING_MEAN)
                .optRequiresGrad(false)
                .build());
    runningVar =
        addParameter(
            Parameter.builder()
                .setName("runningVar")
                .setType(Parameter.Type.RUNNING_VAR)
                .optRequiresGrad(false)
                .build());
  }

  /**
   * Keeps this layer in inference mode even in training steps: it then normalises by its running
   * statistics and leaves them as they are.
   */
  public void useRunningStatistics(boolean on) {
    runningStatisticsOnly = on;
  }

  /** True when this layer ignores training mode (see {@link #useRunningStatistics}). */
  public boolean usesRunningStatistics() {
    return runningStatisticsOnly;
  }

  @Override
  protected NDList forwardInternal(
      ParameterStore store, NDList inputs, boolean training, PairList<String, Object> params) {
    NDArray x = inputs.singletonOrThrow();
    var device = x.getDevice();
    // Axis -1 takes the PyTorch engine's direct path, which normalises axis 1 as torch does; DJL
    // passes (1 - momentum) on to torch, hence the conversion.
    return x.getNDArrayInternal()
        .batchNorm(
            x,
            store.getValue(runningMean, device, training),
            store.getValue(runningVar, device, training),
            store.getValue(gamma, device, training),
            store.getValue(beta, device, training),
            -1,
            1f - momentum,
            epsilon,
            training && !runningStatisticsOnly);
  }

  @Override
  public Shape[] getOutputShapes(Shape[] inputShapes) {
    return new Shape[] {inputShapes[0]};
  }

  @Override
  protected void beforeInitialize(Shape... inputShapes) {
    super.beforeInitialize(inputShapes);
    channels = inputShapes[0].get(1);
  }

  @Override
  public void prepare(Shape[] inputShapes) {
    Shape shape = new Shape(channels);
    gamma.setShape(shape);
    beta.setShape(shape);
    runningMean.setShape(shape);
    runningVar.setShape(shape);
  }

  @Override
  protected void saveMetadata(DataOutputStream os) throws IOException {
    saveInputShapes(os);
    os.writeLong(channels);
  }

  @Override
  public void loadMetadata(byte loadVersion, DataInputStream is)
      throws IOException, MalformedModelException {
    if (loadVersion != VERSION) {
      throw new MalformedModelException("unsupported BatchNorm2d encoding " + loadVersion);
    }
    readInputShapes(is);
    channels = is.readLong();
  }
}
