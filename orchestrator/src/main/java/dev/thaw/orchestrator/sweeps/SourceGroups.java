package dev.thaw.orchestrator.sweeps;

import dev.thaw.inputs.InputPolicy;
import dev.thaw.model.ModelMetadata;
import dev.thaw.model.SourceModelGroupCount;
import dev.thaw.model.SourceModels;
import dev.thaw.sweep.SweepValidator;
import jakarta.enterprise.context.ApplicationScoped;
import java.util.Optional;
import java.util.OptionalInt;
import org.eclipse.microprofile.config.inject.ConfigProperty;

/**
 * How many layer groups a sweep's source model has: read from the model's metadata on this host, or
 * stated by configuration ({@code thaw.sweeps.source-groups}) when the models live only where the
 * workers run.
 */
@ApplicationScoped
public class SourceGroups {
  private final Optional<Integer> stated;
  private final InputPolicy inputs;

  SourceGroups(
      @ConfigProperty(name = "thaw.sweeps.source-groups") Optional<Integer> stated,
      InputSettings inputs) {
    this.stated = stated;
    this.inputs = inputs.policy();
  }

  /**
   * The validator that checks freeze_depth against the same count, and refuses data and models
   * outside the configured roots.
   */
  public SweepValidator validator() {
    return stated
        .map(groups -> SweepValidator.withGroups(groups, inputs))
        .orElseGet(() -> new SweepValidator(new SourceModelGroupCount(inputs), inputs));
  }

  /**
   * The group count, or empty when it cannot be known here (a zoo model); call after {@link
   * #validator()} admitted the sweep.
   */
  public OptionalInt of(String sourceModel) {
    if (stated.isPresent()) {
      return OptionalInt.of(stated.get());
    }
    ModelMetadata meta =
        SourceModels.describe(inputs.sourceModel("task.source_model", sourceModel));
    return meta == null || meta.layerGroups() == null
        ? OptionalInt.empty()
        : OptionalInt.of(meta.layerGroups().size());
  }
}
