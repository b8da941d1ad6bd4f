package dev.thaw.data;

import java.util.Objects;

/** The result of {@link DatasetSplitter#split}: disjoint training and validation sets. */
public record Split(LabelledImages train, LabelledImages validation) {

  public Split {
    Objects.requireNonNull(train, "train");
    Objects.requireNonNull(validation, "validation");
  }
}
