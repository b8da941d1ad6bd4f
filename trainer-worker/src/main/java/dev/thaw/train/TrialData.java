package dev.thaw.train;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import dev.thaw.data.BuiltinDatasets;
import dev.thaw.data.DatasetRef;
import dev.thaw.data.DatasetSplitter;
import dev.thaw.data.ImageFolderDataset;
import dev.thaw.data.LabelledImages;
import dev.thaw.data.SplitSpec;
import dev.thaw.trial.TargetSpec;
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
    var split =
        DatasetSplitter.split(
            all.resized(c, h, w),
            new SplitSpec(
                seed, target.validationFraction(), target.labelsPerClass(), target.dataFraction()));
    return new TrialData(split.train(), split.validation());
  }

  /** Features as an N x C x H x W float array in [0, 1]. */
  static NDArray features(NDManager manager, LabelledImages images) {
    return manager.create(
        images.toFloats(),
        new Shape(images.size(), images.channels(), images.height(), images.width()));
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
