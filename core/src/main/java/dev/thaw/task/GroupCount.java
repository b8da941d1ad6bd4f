package dev.thaw.task;

import java.util.OptionalInt;

/**
 * What a source model's architecture tells sweep validation: its number of backbone layer groups
 * and the smallest input it takes. The worker module answers from the real models ({@code
 * SourceModelGroupCount}); tests and offline checks pass a fixed number.
 */
@FunctionalInterface
public interface GroupCount {
  /**
   * @return the count, or empty when it cannot be known before loading (URL models)
   * @throws ModelLoadException when the model cannot be read
   */
  OptionalInt of(String sourceModel);

  /**
   * The smallest {@code input_size} the source model takes, or empty when not known (then only
   * {@code >= 1} is checked).
   */
  default OptionalInt minInputSize(String sourceModel) {
    return OptionalInt.empty();
  }

  /** Every source model has {@code groups} layer groups; nothing is read. */
  static GroupCount fixed(int groups) {
    return source -> OptionalInt.of(groups);
  }
}
