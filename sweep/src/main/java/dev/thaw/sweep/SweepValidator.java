package dev.thaw.sweep;

import dev.thaw.task.GroupCount;
import dev.thaw.task.InputAdmission;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
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

  private final GroupCount groupCount;
  private final InputAdmission inputs;

  /** A validator that takes data and model paths as given (a user's own sweep, checked locally). */
  public SweepValidator(GroupCount groupCount) {
    this(groupCount, InputAdmission.everything());
  }

  /**
   * A validator that also refuses data folders and source models {@code inputs} does not admit (an
   * orchestrator's check of a submitted sweep). A refused source model is not read.
   */
  public SweepValidator(GroupCount groupCount, InputAdmission inputs) {
    this.groupCount = groupCount;
    this.inputs = inputs;
  }

  /** Where this validator reads a source model's group count. */
  public GroupCount groupCount() {
    return groupCount;
  }

  /** Assumes every source model has {@code groups} layer groups, without reading it. */
  public static SweepValidator withGroups(int groups) {
    return withGroups(groups, InputAdmission.everything());
  }

  /**
   * Assumes every source model has {@code groups} layer groups, without reading it; refuses what
   * {@code inputs} does not admit.
   */
  public static SweepValidator withGroups(int groups, InputAdmission inputs) {
    return new SweepValidator(GroupCount.fixed(groups), inputs);
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
