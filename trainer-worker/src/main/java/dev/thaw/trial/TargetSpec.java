package dev.thaw.trial;

/**
 * The target task's data.
 *
 * @param dataset a built-in name with an optional class subset ({@code mnist}, {@code
 *     fashion-mnist[5-9]}) or an ImageFolder directory ({@code folder:/data/pets})
 * @param validationFraction share of each class held out for validation (default 0.2)
 * @param labelsPerClass labelled training examples kept per class (default: all)
 * @param dataFraction share of the training part actually used (default 1.0)
 */
public record TargetSpec(
    String dataset, Double validationFraction, Integer labelsPerClass, Double dataFraction) {
  public TargetSpec {
    if (validationFraction == null) {
      validationFraction = 0.2;
    }
    if (dataFraction == null) {
      dataFraction = 1.0;
    }
  }

  /** A target on the whole of a dataset with the default split. */
  public static TargetSpec of(String dataset) {
    return new TargetSpec(dataset, null, null, null);
  }
}
