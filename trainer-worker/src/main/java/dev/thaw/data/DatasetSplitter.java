package dev.thaw.data;

import dev.thaw.task.DatasetException;
import java.util.Arrays;
import java.util.SplittableRandom;

/**
 * Splits a dataset into training and validation sets, stratified by class and reproducible.
 *
 * <p>For each class, in label order, its indices are shuffled by a generator split off one {@link
 * SplittableRandom} seeded with {@link SplitSpec#seed()}. The first {@code ceil(validationFraction
 * * n)} shuffled indices are the validation set; of the rest, the first {@code labelsPerClass} are
 * kept (if set), then the first {@code ceil(dataFraction * m)} of those (at least 1). The
 * validation set therefore depends only on the seed and the fraction. Both sets keep the original
 * image order.
 */
public final class DatasetSplitter {

  /** Absorbs floating-point error, so that 0.7 x 100 holds out 70, not 71. */
  private static final double EPSILON = 1e-9;

  private DatasetSplitter() {}

  /**
   * @throws DatasetException if a class would have no training or no validation example
   */
  public static Split split(LabelledImages all, SplitSpec spec) {
    int[][] parts = indices(all, spec);
    return new Split(all.select(parts[0]), all.select(parts[1]));
  }

  /**
   * The training and validation indices of any labelled examples, each in ascending order, as
   * {@link #split} chooses them.
   *
   * @throws DatasetException if a class would have no training or no validation example
   */
  public static int[][] indices(LabelledExamples all, SplitSpec spec) {
    int[][] byClass = indicesByClass(all);
    SplittableRandom root = new SplittableRandom(spec.seed());
    int[] train = new int[all.size()];
    int[] validation = new int[all.size()];
    int trainCount = 0;
    int validationCount = 0;
    for (int label = 0; label < byClass.length; label++) {
      int[] indices = byClass[label];
      shuffle(indices, root.split());
      int n = indices.length;
      int held = ceil(spec.validationFraction() * n);
      if (n == 0 || held >= n) {
        throw new DatasetException(
            String.format(
                "class '%s' has %d example%s; a validation fraction of %s leaves %s",
                all.classNames().get(label),
                n,
                n == 1 ? "" : "s",
                spec.validationFraction(),
                n == 0 ? "no validation or training example" : "no training example"));
      }
      int kept = n - held;
      if (spec.labelsPerClass() != null) {
        kept = Math.min(kept, spec.labelsPerClass());
      }
      kept = Math.max(1, ceil(spec.dataFraction() * kept));
      System.arraycopy(indices, 0, validation, validationCount, held);
      validationCount += held;
      System.arraycopy(indices, held, train, trainCount, kept);
      trainCount += kept;
    }
    int[] trainIndices = Arrays.copyOf(train, trainCount);
    int[] validationIndices = Arrays.copyOf(validation, validationCount);
    Arrays.sort(trainIndices);
    Arrays.sort(validationIndices);
    return new int[][] {trainIndices, validationIndices};
  }

  private static int[][] indicesByClass(LabelledExamples all) {
    int[] counts = all.classCounts();
    int[][] byClass = new int[counts.length][];
    for (int label = 0; label < counts.length; label++) {
      byClass[label] = new int[counts[label]];
    }
    int[] filled = new int[counts.length];
    int[] labels = all.labels();
    for (int i = 0; i < labels.length; i++) {
      byClass[labels[i]][filled[labels[i]]++] = i;
    }
    return byClass;
  }

  private static void shuffle(int[] values, SplittableRandom random) {
    for (int i = values.length - 1; i > 0; i--) {
      int j = random.nextInt(i + 1);
      int swap = values[i];
      values[i] = values[j];
      values[j] = swap;
    }
  }

  private static int ceil(double value) {
    return (int) Math.ceil(value - EPSILON);
  }
}
