package dev.thaw.data;

/**
 * How to split a dataset into training and validation sets, see {@link DatasetSplitter}.
 *
 * @param seed shuffles each class; the same seed gives the same split
 * @param validationFraction share of each class held out for validation, in (0, 1)
 * @param labelsPerClass at most this many training examples per class, or {@code null} for all
 * @param dataFraction share of each class's training examples kept, in (0, 1]
 */
public record SplitSpec(
    long seed, double validationFraction, Integer labelsPerClass, double dataFraction) {

  public SplitSpec {
    if (!(validationFraction > 0 && validationFraction < 1)) {
      throw new IllegalArgumentException(
          "validationFraction must be in (0, 1), got " + validationFraction);
    }
    if (labelsPerClass != null && labelsPerClass < 1) {
      throw new IllegalArgumentException(
          "labelsPerClass must be >= 1 or absent, got " + labelsPerClass);
    }
    if (!(dataFraction > 0 && dataFraction <= 1)) {
      throw new IllegalArgumentException("dataFraction must be in (0, 1], got " + dataFraction);
    }
  }

  /** A split that keeps every training example. */
  public static SplitSpec of(long seed, double validationFraction) {
    return new SplitSpec(seed, validationFraction, null, 1.0);
  }
}
