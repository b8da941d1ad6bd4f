package dev.thaw.sweep;

import static dev.thaw.sweep.Fields.orDefault;

import com.fasterxml.jackson.core.JsonLocation;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.thaw.sweep.search.SearchMethod;
import dev.thaw.trial.EarlyStoppingSpec;
import dev.thaw.trial.ParameterName;
import java.io.IOException;
import java.util.Comparator;
import java.util.List;
import java.util.Map;

/**
 * Reads a sweep file (YAML, snake_case keys) into a {@link SweepSpec} with defaults applied. The
 * reader is lenient so that one pass finds every structural problem: a malformed or misplaced value
 * is reported (with its line and column) and left out, and reading goes on. Unknown keys are errors
 * with a "did you mean" and the list of known keys. Only a YAML syntax error stops it.
 *
 * <p>The file is parsed by {@link PositionedYaml}; each section is read by its own class ({@link
 * TopLevelKeys}, {@link ObjectiveSection}, {@link ParametersSection}, {@link EarlyStoppingSection},
 * {@link EarlyTerminationSection}, {@link ScheduleSection}, {@link MlflowSection}, {@link
 * TaskSection}), which also holds that section's checks.
 */
public final class SweepLoader {
  private SweepLoader() {}

  /** A 1-based place in the file. */
  public record Position(int line, int column) {}

  /**
   * What the loader made of a file.
   *
   * @param spec the typed sweep with defaults, or null after a YAML syntax error
   * @param errors structural problems (syntax, unknown keys, wrong types, missing keys)
   * @param values where each path's value starts
   * @param keys where each path's key starts
   */
  public record Loaded(
      SweepSpec spec,
      List<SweepError> errors,
      Map<String, Position> values,
      Map<String, Position> keys) {
    public Loaded {
      errors = List.copyOf(errors);
      values = Map.copyOf(values);
      keys = Map.copyOf(keys);
    }

    /**
     * The error with the position of its path's value, or when the path is absent (a missing key)
     * of its nearest ancestor; unchanged when it already has one.
     */
    public SweepError locate(SweepError error) {
      if (error.line() != null) {
        return error;
      }
      String path = error.path();
      Position p = values.get(path);
      while (p == null && !path.isEmpty()) {
        path = PositionedYaml.parent(path);
        p = keys.containsKey(path) ? keys.get(path) : values.get(path);
      }
      return p == null ? error : error.at(p.line(), p.column());
    }
  }

  /** Reads a sweep from YAML text; never throws on bad input. */
  public static Loaded load(String yaml) {
    PositionedYaml tree = new PositionedYaml();
    SweepSpec spec = null;
    try {
      spec = bind(new Fields(tree), tree.parse(yaml));
    } catch (JsonProcessingException e) {
      JsonLocation loc = e.getLocation();
      String message = e.getOriginalMessage().lines().findFirst().orElse("").strip();
      tree.errors.add(
          new SweepError(
              "",
              "YAML syntax error: " + message,
              loc == null ? null : loc.getLineNr(),
              loc == null ? null : loc.getColumnNr()));
    } catch (IOException e) {
      tree.error("", "cannot read: " + e.getMessage());
    }
    return new Loaded(spec, tree.errors, tree.values, tree.keys);
  }

  /** The tree as a typed spec, section by section in the order the errors are reported. */
  private static SweepSpec bind(Fields r, JsonNode root) {
    if (root.isNull() || root.isMissingNode()) {
      r.error("", "the file is empty; a sweep needs at least name, objective, method and task");
      return null;
    }
    if (!root.isObject()) {
      r.error("", "must be a mapping of sweep keys (got " + Shown.value(root) + ")");
      return null;
    }
    ObjectNode o = (ObjectNode) root;
    TopLevelKeys.unknownKeys(r, o);
    String name = TopLevelKeys.name(r, o);
    String description = r.text(o, "", "description");
    SweepSpec.Objective objective = ObjectiveSection.read(r, o);
    SearchMethod method = TopLevelKeys.method(r, o);
    Map<ParameterName, ParameterSpec> parameters = ParametersSection.read(r, o);
    Integer maxTrials = r.integer(o, "", "max_trials");
    int parallelTrials = orDefault(r.integer(o, "", "parallel_trials"), 1);
    int maxFailedTrials = orDefault(r.integer(o, "", "max_failed_trials"), 3);
    int retries = orDefault(r.integer(o, "", "retries"), 1);
    Long seed = r.longValue(o, "", "seed");
    EarlyStoppingSpec earlyStopping = EarlyStoppingSection.read(r, o);
    EarlyTerminationSpec earlyTermination = EarlyTerminationSection.read(r, o);
    SweepSpec.Schedule schedule = ScheduleSection.read(r, o);
    SweepSpec.Mlflow mlflow = MlflowSection.read(r, o, name);
    SweepSpec.Task task = TaskSection.read(r, o);
    SweepSpec spec =
        new SweepSpec(
            name,
            description,
            objective,
            method,
            parameters,
            maxTrials,
            parallelTrials,
            maxFailedTrials,
            retries,
            seed == null ? 0 : seed,
            earlyStopping,
            earlyTermination,
            schedule,
            mlflow,
            task);
    if (maxTrials == null && method == SearchMethod.GRID && !Fields.present(o, "max_trials")) {
      Integer gridSize = ParametersSection.gridSize(spec);
      if (gridSize != null) {
        spec = withMaxTrials(spec, gridSize);
      }
    }
    return spec;
  }

  private static SweepSpec withMaxTrials(SweepSpec spec, int maxTrials) {
    return new SweepSpec(
        spec.name(),
        spec.description(),
        spec.objective(),
        spec.method(),
        spec.parameters(),
        maxTrials,
        spec.parallelTrials(),
        spec.maxFailedTrials(),
        spec.retries(),
        spec.seed(),
        spec.earlyStopping(),
        spec.earlyTermination(),
        spec.schedule(),
        spec.mlflow(),
        spec.task());
  }

  /** Orders errors by position in the file; errors without one come last. */
  static final Comparator<SweepError> FILE_ORDER =
      Comparator.comparing(
              (SweepError e) -> e.line() == null ? Integer.MAX_VALUE : e.line(),
              Comparator.naturalOrder())
          .thenComparing(e -> e.column() == null ? 0 : e.column());
}
