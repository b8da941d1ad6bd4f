package dev.thaw.model.nn;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.AbstractBlock;
import ai.djl.training.ParameterStore;
import ai.djl.util.PairList;
import java.util.List;

/**
 * Per-channel {@code (x - mean) / std} of images in [0, 1], the preprocessing a pretrained network
 * was trained with (ImageNet's mean and standard deviation for the zoo models). Part of the
 * network, so that data stays in [0, 1] for every source model and no caller can forget it.
 */
public final class InputNormalization extends AbstractBlock {
  private static final byte VERSION = 1;

  /** ImageNet's RGB mean, as torchvision normalises. */
  public static final List<Double> IMAGENET_MEAN = List.of(0.485, 0.456, 0.406);

  /** ImageNet's RGB standard deviation, as torchvision normalises. */
  public static final List<Double> IMAGENET_STD = List.of(0.229, 0.224, 0.225);

  private final float[] mean;
  private final float[] inverseStd;

  /** Normalises by the given per-channel mean and standard deviation. */
  public InputNormalization(List<Double> mean, List<Double> std) {
    super(VERSION);
    if (mean.size() != std.size() || mean.isEmpty()) {
      throw new IllegalArgumentException("mean and std need one value per channel");
    }
    this.mean = new float[mean.size()];
    this.inverseStd = new float[std.size()];
    for (int i = 0; i < mean.size(); i++) {
      this.mean[i] = mean.get(i).floatValue();
      this.inverseStd[i] = (float) (1.0 / std.get(i));
    }
  }

  @Override
  protected NDList forwardInternal(
      ParameterStore store, NDList inputs, boolean training, PairList<String, Object> params) {
    NDArray x = inputs.singletonOrThrow();
    Shape perChannel = new Shape(1, mean.length, 1, 1);
    NDArray m = x.getManager().create(mean, perChannel);
    NDArray s = x.getManager().create(inverseStd, perChannel);
    return new NDList(x.sub(m).mul(s));
  }

  @Override
  public Shape[] getOutputShapes(Shape[] inputShapes) {
    return new Shape[] {inputShapes[0]};
  }
}
