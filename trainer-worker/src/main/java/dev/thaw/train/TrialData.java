package dev.thaw.train;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import dev.thaw.data.BuiltinDatasets;
import dev.thaw.data.DatasetRef;
import dev.thaw.data.DatasetSplitter;
import dev.thaw.data.ImageFolderDataset;
import dev.thaw.data.LabelledExamples;
import dev.thaw.data.LabelledImages;
import dev.thaw.data.LabelledTexts;
import dev.thaw.data.SplitSpec;
import dev.thaw.data.TableDataset;
import dev.thaw.data.TextFolderDataset;
import dev.thaw.data.TokenizedTexts;
import dev.thaw.model.text.TextTokenizer;
import dev.thaw.model.zoo.ZooSource;
import dev.thaw.task.DatasetException;
import dev.thaw.task.ModelLoadException;
import dev.thaw.trial.TargetSpec;
import java.nio.ByteBuffer;
import java.util.List;

/**
 * A trial's training and validation examples, shaped for the backbone's input: images ({@link
 * LabelledImages}) or token rows ({@link TokenizedTexts}).
 *
 * @param train training examples
 * @param validation validation examples
 */
public record TrialData(LabelledExamples train, LabelledExamples validation) {

  /** The target class names in label order. */
  public List<String> classNames() {
    return train.classNames();
  }

  /** True for text (token rows), false for images. */
  public boolean isText() {
    return train instanceof TokenizedTexts;
  }

  /**
   * Loads the target dataset, shapes it for the backbone's input and splits it by the seed.
   *
   * @param target the dataset and split settings
   * @param input the backbone's input shape: (C, H, W) for images, (2, max_length) for text
   * @param seed split seed
   * @throws DatasetException for text data on an image backbone and the reverse
   */
  public static TrialData load(TargetSpec target, Shape input, long seed) {
    DatasetRef ref = DatasetRef.parse(target.dataset());
    SplitSpec split =
        new SplitSpec(
            seed, target.validationFraction(), target.labelsPerClass(), target.dataFraction());
    boolean textData =
        ref instanceof DatasetRef.BuiltinText
            || ref instanceof DatasetRef.Table
            || (ref instanceof DatasetRef.ImageFolder f && TextFolderDataset.holdsText(f.dir()));
    boolean textModel = input.dimension() == 2;
    if (textData != textModel) {
      throw new DatasetException(
          "dataset '"
              + target.dataset()
              + "' holds "
              + (textData ? "texts" : "images")
              + " but the source model takes "
              + (textModel
                  ? "text (use text data: a built-in such as tweet-sentiment, a folder of .txt"
                      + " files, or a csv:/jsonl: table)"
                  : "images (use a text encoder such as zoo:minilm_l6)"));
    }
    if (textData) {
      return loadText(ref, target, split, (int) input.get(1));
    }
    int c = (int) input.get(0);
    int h = (int) input.get(1);
    int w = (int) input.get(2);
    LabelledImages all =
        switch (ref) {
          case DatasetRef.Builtin b -> BuiltinDatasets.load(b);
          case DatasetRef.ImageFolder f -> ImageFolderDataset.load(f.dir(), c, h, w);
          case DatasetRef.BuiltinText t -> throw new IllegalStateException("text: " + t);
          case DatasetRef.Table t -> throw new IllegalStateException("text: " + t);
        };
    // Split first (it looks at labels only), then resize just the images kept: at 224x224 a whole
    // built-in would take gigabytes.
    var parts = DatasetSplitter.split(all, split);
    return new TrialData(parts.train().resized(c, h, w), parts.validation().resized(c, h, w));
  }

  private static TrialData loadText(
      DatasetRef ref, TargetSpec target, SplitSpec split, int maxLength) {
    LabelledTexts all =
        switch (ref) {
          case DatasetRef.BuiltinText t -> t.dataset().load();
          case DatasetRef.Table t ->
              TableDataset.load(t, target.textColumnOrDefault(), target.labelColumnOrDefault());
          case DatasetRef.ImageFolder f -> TextFolderDataset.load(f.dir());
          case DatasetRef.Builtin b -> throw new IllegalStateException("images: " + b);
        };
    int[][] parts = DatasetSplitter.indices(all, split);
    // Only MiniLM reads text so far: its packaged tokenizer.
    try (TextTokenizer tokenizer =
        TextTokenizer.open(ZooSource.MINILM_L6.tokenizer().verifiedPath(), maxLength)) {
      return new TrialData(
          TokenizedTexts.of(all.select(parts[0]), tokenizer),
          TokenizedTexts.of(all.select(parts[1]), tokenizer));
    } catch (ModelLoadException e) {
      throw new DatasetException("cannot tokenize " + ref + ": " + e.getMessage(), e);
    }
  }

  /**
   * Inputs on the device: images as an N x C x H x W array of bytes (0..255), a quarter of the
   * memory of floats ({@link #unitFloats} turns a batch of it into the network's input); texts as N
   * x 2 x L int64 token rows.
   */
  static NDArray features(NDManager manager, LabelledExamples examples) {
    return switch (examples) {
      case LabelledImages images ->
          manager.create(
              ByteBuffer.wrap(images.pixels()),
              new Shape(images.size(), images.channels(), images.height(), images.width()),
              DataType.UINT8);
      case TokenizedTexts texts -> texts.rows().toArray(manager);
      default -> throw new IllegalArgumentException("no inputs for " + examples.getClass());
    };
  }

  /** Bytes 0..255 as floats in [0, 1] ({@code byte / 255}); other input is returned as it is. */
  public static NDArray unitFloats(NDArray x) {
    return x.getDataType() == DataType.UINT8 ? x.toType(DataType.FLOAT32, false).div(255f) : x;
  }

  /** Labels as an int64 vector. */
  static NDArray labels(NDManager manager, LabelledExamples examples) {
    long[] labels = new long[examples.size()];
    for (int i = 0; i < labels.length; i++) {
      labels[i] = examples.labels()[i];
    }
    return manager.create(labels);
  }
}
