package dev.thaw.trial;

/**
 * The target task's data.
 *
 * @param dataset a built-in name with an optional class subset ({@code mnist}, {@code
 *     fashion-mnist[5-9]}) or an ImageFolder directory ({@code folder:/data/pets})
 * @param validationFraction share of each class held out for validation (default 0.2)
 * @param labelsPerClass labelled training examples kept per class (default: all)
 * @param dataFraction share of the training part actually used (default 1.0)
 * @param splitSeed seeds the train/validation split (default: the trial's seed). A sweep sets it to
 *     its own seed so that all its trials validate on the same examples and stay comparable.
 * @param maxLength text data only: tokens kept per text, special tokens included, the rest cut
 *     (default: the text encoder's, 128)
 * @param textColumn {@code csv:} and {@code jsonl:} tables only: the column holding the text
 *     (default {@code text})
 * @param labelColumn {@code csv:} and {@code jsonl:} tables only: the column holding the label
 *     (default {@code label})
 */
public record TargetSpec(
    String dataset,
    Double validationFraction,
    Integer labelsPerClass,
    Double dataFraction,
    Long splitSeed,
    Integer maxLength,
    String textColumn,
    String labelColumn) {
  /** The text column of a table when none is named. */
  public static final String DEFAULT_TEXT_COLUMN = "text";

  /** The label column of a table when none is named. */
  public static final String DEFAULT_LABEL_COLUMN = "label";

  public TargetSpec {
    if (validationFraction == null) {
      validationFraction = 0.2;
    }
    if (dataFraction == null) {
      dataFraction = 1.0;
    }
  }

  /** A target with the default table columns. */
  public TargetSpec(
      String dataset,
      Double validationFraction,
      Integer labelsPerClass,
      Double dataFraction,
      Long splitSeed,
      Integer maxLength) {
    this(
        dataset,
        validationFraction,
        labelsPerClass,
        dataFraction,
        splitSeed,
        maxLength,
        null,
        null);
  }

  /** The table's text column: {@link #textColumn()}, else {@code text}. */
  @com.fasterxml.jackson.annotation.JsonIgnore
  public String textColumnOrDefault() {
    return textColumn != null ? textColumn : DEFAULT_TEXT_COLUMN;
  }

  /** The table's label column: {@link #labelColumn()}, else {@code label}. */
  @com.fasterxml.jackson.annotation.JsonIgnore
  public String labelColumnOrDefault() {
    return labelColumn != null ? labelColumn : DEFAULT_LABEL_COLUMN;
  }

  /** A copy reading a table's text and label from these columns ({@code null}: the default). */
  public TargetSpec withColumns(String text, String label) {
    return new TargetSpec(
        dataset,
        validationFraction,
        labelsPerClass,
        dataFraction,
        splitSeed,
        maxLength,
        text,
        label);
  }

  /** A target with no max_length (image data, or the encoder's default). */
  public TargetSpec(
      String dataset,
      Double validationFraction,
      Integer labelsPerClass,
      Double dataFraction,
      Long splitSeed) {
    this(dataset, validationFraction, labelsPerClass, dataFraction, splitSeed, null);
  }

  /** A target without its own split seed: the trial's seed splits it. */
  public TargetSpec(
      String dataset, Double validationFraction, Integer labelsPerClass, Double dataFraction) {
    this(dataset, validationFraction, labelsPerClass, dataFraction, null);
  }

  /** A target on the whole of a dataset with the default split. */
  public static TargetSpec of(String dataset) {
    return new TargetSpec(dataset, null, null, null, null, null);
  }

  /** A copy that keeps at most {@code tokens} tokens per text ({@code null}: the default). */
  public TargetSpec withMaxLength(Integer tokens) {
    return new TargetSpec(
        dataset,
        validationFraction,
        labelsPerClass,
        dataFraction,
        splitSeed,
        tokens,
        textColumn,
        labelColumn);
  }

  /** The seed that splits this target: its own split seed, else the trial's seed. */
  public long splitSeedOr(long trialSeed) {
    return splitSeed != null ? splitSeed : trialSeed;
  }

  /** A copy naming its dataset by another text, e.g. its canonical form (a folder's real path). */
  public TargetSpec withDataset(String canonicalDataset) {
    return new TargetSpec(
        canonicalDataset,
        validationFraction,
        labelsPerClass,
        dataFraction,
        splitSeed,
        maxLength,
        textColumn,
        labelColumn);
  }

  /** A copy with another split seed ({@code null}: the trial's seed). */
  public TargetSpec withSplitSeed(Long seed) {
    return new TargetSpec(
        dataset,
        validationFraction,
        labelsPerClass,
        dataFraction,
        seed,
        maxLength,
        textColumn,
        labelColumn);
  }
}
