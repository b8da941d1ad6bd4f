package dev.thaw.train;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import dev.thaw.data.BuiltinDatasets;
import dev.thaw.data.DatasetRef;
import dev.thaw.data.DatasetSplitter;
import dev.thaw.data.ImageFolderDataset;
import dev.thaw.data.LabelledImages;
import dev.thaw.data.SplitSpec;
import dev.thaw.trial.TargetSpec;
import java.nio.ByteBuffer;
import java.util.List;

/**
 * A trial's training and validation examples, shaped for the backbone's input.
 *
 * @param train training examples
 * @param validation validation examples
 */
public record TrialData(LabelledImages train, LabelledImages validation) {

  /** The target class names in label order. */
  public List<String> classNames() {
    return train.classNames();
  }

  /**
   * Loads the target dataset, resizes it to the backbone's input and splits it by the seed.
   *
   * @param target the dataset and split settings
   * @param input the backbone's input shape (C, H, W)
   * @param seed split seed
   */
  public static TrialData load(TargetSpec target, Shape input, long seed) {
    int c = (int) input.get(0);
    int h = (int) input.get(1);
    int w = (int) input.get(2);
    LabelledImages all =
        switch (DatasetRef.parse(target.dataset())) {
          case DatasetRef.Builtin b -> BuiltinDatasets.load(b);
          case DatasetRef.ImageFolder f -> ImageFolderDataset.load(f.dir(), c, h, w);
        };
    // Split first (it looks at labels only), then resize just the images kept: at 224x224 a whole
    // built-in would take gigabytes.
    var split =
        DatasetSplitter.split(
            all,
            new SplitSpec(
                seed, target.validationFraction(), target.labelsPerClass(), target.dataFraction()));
    return new TrialData(split.train().resized(c, h, w), split.validation().resized(c, h, w));
  }

  /**
   * Features as an N x C x H x W array of bytes (0..255), a quarter of the memory of floats; {@link
   * #unitFloats} turns a batch of it into the network's input.
   */
  static NDArray features(NDManager manager, LabelledImages images) {
    return manager.create(
        ByteBuffer.wrap(images.pixels()),
        new Shape(images.size(), images.channels(), images.height(), images.width()),
        DataType.UINT8);
  }

  /** Bytes 0..255 as floats in [0, 1] ({@code byte / 255}); float input is returned as it is. */
  public static NDArray unitFloats(NDArray x) {
    return x.getDataType() == DataType.UINT8 ? x.toType(DataType.FLOAT32, false).div(255f) : x;
  }

  /** Labels as an int64 vector. */
  static NDArray labels(NDManager manager, LabelledImages images) {
    long[] labels = new long[images.size()];
    for (int i = 0; i < labels.length; i++) {
      labels[i] = images.labels()[i];
    }
    return manager.create(labels);
  }
}
