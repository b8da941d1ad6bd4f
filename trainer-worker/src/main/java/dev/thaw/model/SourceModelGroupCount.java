package dev.thaw.model;

import dev.thaw.inputs.InputPolicy;
import dev.thaw.task.GroupCount;
import java.util.OptionalInt;

/**
 * A source model's layer-group count and smallest input, read from the model itself ({@link
 * SourceModels#describe}) as {@code inputs} resolves its reference: what sweep validation checks
 * {@code freeze_depth} and {@code input_size} against.
 */
public final class SourceModelGroupCount implements GroupCount {
  private static final String FIELD = "task.source_model";

  private final InputPolicy inputs;

  /** Reads models found as {@code inputs} resolves them. */
  public SourceModelGroupCount(InputPolicy inputs) {
    this.inputs = inputs;
  }

  /** Reads models at the paths given. */
  public static SourceModelGroupCount anywhere() {
    return new SourceModelGroupCount(InputPolicy.unrestricted());
  }

  @Override
  public OptionalInt of(String sourceModel) {
    ModelMetadata m = SourceModels.describe(inputs.sourceModel(FIELD, sourceModel));
    return m == null ? OptionalInt.empty() : OptionalInt.of(m.layerGroups().size());
  }

  @Override
  public OptionalInt minInputSize(String sourceModel) {
    return OptionalInt.of(SourceModels.minInputSize(inputs.sourceModel(FIELD, sourceModel)));
  }
}
