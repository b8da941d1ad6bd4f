package dev.thaw.sweep;

import dev.thaw.inputs.InputPolicy;
import dev.thaw.model.ModelLoadException;
import dev.thaw.model.ModelMetadata;
import dev.thaw.model.SourceModels;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.OptionalInt;
import java.util.Set;

/**
 * Checks that a sweep can run and reports every problem at once, each with its path and, for sweeps
 * read from a file, its line and column. {@code freeze_depth} is checked against the source model's
 * layer-group count, read through a {@link GroupCount} (the real models, or a fixed number in
 * tests). Each section's checks live beside its reading ({@link TopLevelKeys}, {@link TaskSection},
 * {@link ParametersSection}, {@link EarlyStoppingSection}, {@link EarlyTerminationSection}, {@link
 * ScheduleSection}, {@link MlflowSection}); this class runs them and places their errors.
 */
public final class SweepValidator {
  private static final String SOURCE_MODEL = TaskSection.SOURCE_MODEL;

  /** The number of backbone layer groups of a source model. */
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
  }

  private final GroupCount groupCount;
  private final InputPolicy inputs;

  /** A validator that takes data and model paths as given (a user's own sweep, checked locally). */
  public SweepValidator(GroupCount groupCount) {
    this(groupCount, InputPolicy.unrestricted());
  }

  /**
   * A validator that also refuses data folders and source models {@code inputs} does not admit (an
   * orchestrator's check of a submitted sweep). A refused source model is not read.
   */
  public SweepValidator(GroupCount groupCount, InputPolicy inputs) {
    this.groupCount = groupCount;
    this.inputs = inputs;
  }

  /** Where this validator reads a source model's group count. */
  public GroupCount groupCount() {
    return groupCount;
  }

  /**
   * Reads the group count from the source model ({@code SourceModels.describe}), any path taken as
   * given.
   */
  public static SweepValidator withSourceModels() {
    return withSourceModels(InputPolicy.unrestricted());
  }

  /**
   * Reads the group count from the source model, found as {@code inputs} resolves it; refuses what
   * {@code inputs} does not admit.
   */
  public static SweepValidator withSourceModels(InputPolicy inputs) {
    return new SweepValidator(
        new GroupCount() {
          @Override
          public OptionalInt of(String source) {
            ModelMetadata m = SourceModels.describe(inputs.sourceModel(SOURCE_MODEL, source));
            return m == null ? OptionalInt.empty() : OptionalInt.of(m.layerGroups().size());
          }

          @Override
          public OptionalInt minInputSize(String source) {
            return OptionalInt.of(
                SourceModels.minInputSize(inputs.sourceModel(SOURCE_MODEL, source)));
          }
        },
        inputs);
  }

  /** Assumes every source model has {@code groups} layer groups, without reading it. */
  public static SweepValidator withGroups(int groups) {
    return withGroups(groups, InputPolicy.unrestricted());
  }

  /**
   * Assumes every source model has {@code groups} layer groups, without reading it; refuses what
   * {@code inputs} does not admit.
   */
  public static SweepValidator withGroups(int groups, InputPolicy inputs) {
    return new SweepValidator(source -> OptionalInt.of(groups), inputs);
  }

  /** Loads and validates YAML text: every error, in file order, with line and column. */
  public List<SweepError> validate(String yaml) {
    return validate(SweepLoader.load(yaml));
  }

  /**
   * The loader's errors plus every semantic problem, positioned and in file order. A path the
   * loader already flagged is not reported twice.
   */
  public List<SweepError> validate(SweepLoader.Loaded loaded) {
    List<SweepError> all = new ArrayList<>(loaded.errors());
    if (loaded.spec() != null) {
      Set<String> flagged = new HashSet<>();
      loaded.errors().forEach(e -> flagged.add(e.path()));
      for (SweepError e : validate(loaded.spec())) {
        if (!flagged.contains(e.path())) {
          all.add(e);
        }
      }
    }
    return all.stream().map(loaded::locate).sorted(SweepLoader.FILE_ORDER).toList();
  }

  /** Semantic checks of a typed spec (no positions), section by section. */
  public List<SweepError> validate(SweepSpec spec) {
    Checks c = new Checks();
    TopLevelKeys.check(spec, c);
    TaskSection.Backbone backbone = TaskSection.check(spec.task(), groupCount, inputs, c);
    ParametersSection.check(spec, backbone, c);
    EarlyStoppingSection.check(spec.earlyStopping(), c);
    EarlyTerminationSection.check(spec.earlyTermination(), c);
    ScheduleSection.check(spec.schedule(), c);
    MlflowSection.check(spec.mlflow(), c);
    return c.errors;
  }
}
