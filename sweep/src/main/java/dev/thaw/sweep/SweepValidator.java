package dev.thaw.sweep;

import com.fasterxml.jackson.databind.JsonNode;
import dev.thaw.data.DatasetException;
import dev.thaw.inputs.InputPolicy;
import dev.thaw.inputs.InputRefusedException;
import dev.thaw.model.ModelLoadException;
import dev.thaw.model.ModelMetadata;
import dev.thaw.model.SourceModels;
import dev.thaw.sweep.ParameterSpec.Distribution;
import dev.thaw.sweep.search.SearchMethod;
import dev.thaw.sweep.space.Domain;
import dev.thaw.text.Suggestions;
import java.math.BigDecimal;
import java.net.URI;
import java.net.URISyntaxException;
import java.text.ParseException;
import java.time.DateTimeException;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.OptionalInt;
import java.util.Set;
import java.util.regex.Pattern;
import org.quartz.CronExpression;

/**
 * Checks that a sweep can run and reports every problem at once, each with its path and, for sweeps
 * read from a file, its line and column. {@code freeze_depth} is checked against the source model's
 * layer-group count, read through a {@link GroupCount} (the real models, or a fixed number in
 * tests).
 */
public final class SweepValidator {
  private static final Pattern NAME = Pattern.compile("[a-z0-9][a-z0-9\\-_.]*");

  /** Longest sweep name: it names the MLflow experiment and is stored in a 200-character column. */
  private static final int MAX_NAME = 100;

  private static final String SOURCE_MODEL = "task.source_model";
  private static final String DATASET = "task.target.dataset";

  private static final List<String> AUGMENTATIONS =
      java.util.Arrays.stream(dev.thaw.trial.Augmentation.values())
          .map(dev.thaw.trial.Augmentation::key)
          .toList();
  private static final List<String> BATCH_NORM_MODES =
      java.util.Arrays.stream(dev.thaw.trial.BatchNormMode.values())
          .map(dev.thaw.trial.BatchNormMode::key)
          .toList();
  private static final List<String> OPTIMIZERS =
      java.util.Arrays.stream(dev.thaw.trial.OptimizerSpec.Name.values())
          .map(dev.thaw.trial.OptimizerSpec.Name::key)
          .toList();

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
  private OptionalInt minInputSize = OptionalInt.empty();

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

  /** Semantic checks of a typed spec (no positions). */
  public List<SweepError> validate(SweepSpec spec) {
    Checks c = new Checks();
    if (spec.name() != null && spec.name().length() > MAX_NAME) {
      c.add(
          "name", "must be at most " + MAX_NAME + " characters (got " + spec.name().length() + ")");
    } else if (spec.name() != null && !NAME.matcher(spec.name()).matches()) {
      c.add(
          "name",
          "must start with a lowercase letter or digit and contain only a-z, 0-9, '-', '_', '.'"
              + " (got '"
              + spec.name()
              + "')");
    }
    if (spec.maxTrials() == null) {
      if (spec.method() != null && spec.method() != SearchMethod.GRID) {
        c.add(
            "max_trials",
            "required for method "
                + spec.method().key()
                + " (only grid defaults to its grid size)");
      }
    } else {
      c.atLeast("max_trials", spec.maxTrials(), 1);
    }
    c.atLeast("parallel_trials", spec.parallelTrials(), 1);
    c.atLeast("max_failed_trials", spec.maxFailedTrials(), 1);
    c.atLeast("retries", spec.retries(), 0);

    OptionalInt groups = OptionalInt.empty();
    minInputSize = OptionalInt.empty();
    if (spec.task() != null) {
      groups = task(spec.task(), c);
    }
    for (var e : spec.parameters().entrySet()) {
      parameter(e.getKey(), e.getValue(), "parameters." + e.getKey().key(), groups, c);
    }
    if (spec.method() == SearchMethod.GRID) {
      try {
        grid(spec, c);
      } catch (RuntimeException e) {
        // a domain too broken to enumerate; its own errors are already reported
      }
    }
    if (spec.earlyStopping() != null) {
      c.atLeast("early_stopping.patience", spec.earlyStopping().patience(), 1);
      if (spec.earlyStopping().minDelta() < 0) {
        c.add(
            "early_stopping.min_delta",
            "must be >= 0 (got " + format(spec.earlyStopping().minDelta()) + ")");
      }
    }
    switch (spec.earlyTermination()) {
      case EarlyTerminationSpec.Median m -> {
        c.atLeast("early_termination.min_trials", m.minTrials(), 1);
        c.atLeast("early_termination.warmup_epochs", m.warmupEpochs(), 0);
      }
      case EarlyTerminationSpec.Asha a -> {
        c.atLeast("early_termination.min_epochs", a.minEpochs(), 1);
        c.atLeast("early_termination.reduction_factor", a.reductionFactor(), 2);
        c.atLeast("early_termination.brackets", a.brackets(), 1);
      }
      case EarlyTerminationSpec.None n -> {}
    }
    if (spec.schedule() != null) {
      schedule(spec.schedule(), c);
    }
    String uri = spec.mlflow().trackingUri();
    if (uri != null) {
      try {
        if (new URI(uri).getScheme() == null) {
          throw new URISyntaxException(uri, "no scheme");
        }
      } catch (URISyntaxException e) {
        c.add(
            "mlflow.tracking_uri",
            "must be a URI such as http://localhost:5000 or file:///data/mlruns (got '"
                + uri
                + "')");
      }
    }
    return c.errors;
  }

  private OptionalInt task(SweepSpec.Task task, Checks c) {
    OptionalInt groups = OptionalInt.empty();
    if (task.sourceModel() != null && admitted(task.sourceModel(), c)) {
      try {
        groups = groupCount.of(task.sourceModel());
        minInputSize = groupCount.minInputSize(task.sourceModel());
      } catch (ModelLoadException e) {
        c.add(
            "task.source_model",
            "cannot read source model '"
                + task.sourceModel()
                + "': "
                + e.getMessage()
                + " (freeze_depth is then checked only for >= 0)");
      }
    }
    var t = task.target();
    if (t != null && t.dataset() != null) {
      try {
        inputs.dataset(DATASET, t.dataset());
      } catch (InputRefusedException e) {
        c.add(e.field(), e.reason());
      } catch (DatasetException e) {
        c.add(DATASET, e.getMessage());
      }
    }
    if (t != null) {
      double vf = t.validationFraction();
      if (!(vf > 0 && vf < 1)) {
        c.add("task.target.validation_fraction", "must be in (0, 1) (got " + format(vf) + ")");
      }
      double df = t.dataFraction();
      if (!(df > 0 && df <= 1)) {
        c.add("task.target.data_fraction", "must be in (0, 1] (got " + format(df) + ")");
      }
      if (t.labelsPerClass() != null) {
        c.atLeast("task.target.labels_per_class", t.labelsPerClass(), 1);
      }
    }
    return groups;
  }

  /** Whether the policy admits the source model; a refusal is reported, and nothing is read. */
  private boolean admitted(String sourceModel, Checks c) {
    try {
      inputs.sourceModel(SOURCE_MODEL, sourceModel);
      return true;
    } catch (InputRefusedException e) {
      c.add(e.field(), e.reason());
      return false;
    } catch (RuntimeException e) {
      return true; // not a reference: the group count reports it
    }
  }

  private void schedule(SweepSpec.Schedule s, Checks c) {
    c.atLeast("schedule.warm_start", s.warmStart(), 0);
    if (!(s.regressionThreshold() >= 0) || Double.isInfinite(s.regressionThreshold())) {
      c.add(
          "schedule.regression_threshold",
          "must be a finite number >= 0 (got " + format(s.regressionThreshold()) + ")");
    }
    if (s.cron() != null && !CronExpression.isValidExpression(s.cron())) {
      String reason;
      try {
        new CronExpression(s.cron());
        reason = "invalid";
      } catch (ParseException e) {
        reason = e.getMessage();
      }
      c.add(
          "schedule.cron",
          "not a Quartz cron expression: "
              + reason
              + " (got '"
              + s.cron()
              + "'); use 6 or 7 fields, seconds first, e.g. \"0 0 2 * * ?\" for 02:00 daily");
    }
    try {
      ZoneId.of(s.timeZone());
    } catch (DateTimeException e) {
      c.add(
          "schedule.time_zone",
          "unknown time zone '"
              + s.timeZone()
              + "'"
              + Suggestions.didYouMean(s.timeZone(), ZoneId.getAvailableZoneIds())
              + " (use an IANA id such as Europe/Berlin or UTC)");
    }
  }

  private void grid(SweepSpec spec, Checks c) {
    var space = spec.searchSpace();
    boolean finite = true;
    for (var e : space.dimensions().entrySet()) {
      String parameter = "parameters." + e.getKey().split("\\.")[0];
      if (!c.none(parameter)) {
        finite = false; // already reported; its grid size means nothing
        continue;
      }
      if (e.getValue().gridSize() < 0) {
        finite = false;
        c.add(
            "parameters." + e.getKey(),
            "method grid needs a finite set of values, but "
                + e.getKey()
                + " is a continuous "
                + describe(e.getValue())
                + "; use values, int_uniform or q_uniform, or method random, sobol or tpe");
      }
    }
    if (!finite || !c.none("parameters")) {
      return; // the size of a broken grid would only add noise
    }
    long size;
    try {
      size = space.gridSize();
    } catch (ArithmeticException e) {
      size = Long.MAX_VALUE;
    }
    if (spec.maxTrials() != null && size > spec.maxTrials()) {
      StringBuilder factors = new StringBuilder();
      for (var e : space.dimensions().entrySet()) {
        if (e.getValue().gridSize() > 1) {
          factors.append(factors.isEmpty() ? "" : " x ");
          factors.append(e.getKey()).append(' ').append(e.getValue().gridSize());
        }
      }
      c.add(
          "max_trials",
          "the grid has "
              + size
              + " points ("
              + factors
              + ") but max_trials is "
              + spec.maxTrials()
              + "; raise max_trials, drop it to run the whole grid, or trim the grid");
    }
  }

  private static String describe(Domain d) {
    return switch (d) {
      case Domain.LogUniform l -> l.q() == null ? "log_uniform" : "q_log_uniform";
      case Domain.Uniform u -> "uniform";
      default -> "distribution";
    };
  }

  // ---- parameters ----

  private void parameter(
      ParameterName name, ParameterSpec spec, String path, OptionalInt groups, Checks c) {
    switch (spec) {
      case ParameterSpec.Value v -> value(name, v.value(), path + ".value", groups, c);
      case ParameterSpec.Values vs -> {
        for (int i = 0; i < vs.values().size(); i++) {
          value(name, vs.values().get(i), path + ".values[" + i + "]", groups, c);
        }
      }
      case ParameterSpec.Distribution d -> distribution(name, d, path, groups, c);
      case ParameterSpec.Slice s -> {
        boolean fixed =
            s.lo() instanceof ParameterSpec.Value && s.hi() instanceof ParameterSpec.Value;
        String lo = fixed ? path + ".slice[0]" : path + ".slice.lo";
        String hi = fixed ? path + ".slice[1]" : path + ".slice.hi";
        int before = c.errors.size();
        if (fixed) {
          value(name, ((ParameterSpec.Value) s.lo()).value(), lo, groups, c);
          value(name, ((ParameterSpec.Value) s.hi()).value(), hi, groups, c);
        } else {
          parameter(name, s.lo(), lo, groups, c);
          parameter(name, s.hi(), hi, groups, c);
        }
        if (c.errors.size() == before) {
          double loMax = bounds(s.lo())[1];
          double hiMin = bounds(s.hi())[0];
          if (loMax > hiMin) {
            c.add(
                path + ".slice",
                fixed
                    ? "lo must be <= hi (got lo "
                        + format(loMax)
                        + " > hi "
                        + format(hiMin)
                        + "); lo is g0's rate, hi the top group's"
                    : "lo must stay <= hi (lo can reach "
                        + format(loMax)
                        + " but hi can be as low as "
                        + format(hiMin)
                        + "); keep lo's range at or below hi's");
          }
        }
      }
      case ParameterSpec.PerGroup pg -> {
        for (int i = 0; i < pg.rates().size(); i++) {
          double r = pg.rates().get(i);
          if (!(r > 0)) {
            c.add(
                path + ".per_group[" + i + "]",
                "must be a positive learning rate (got " + format(r) + ")");
          }
        }
        if (groups.isPresent() && pg.rates().size() != groups.getAsInt()) {
          c.add(
              path + ".per_group",
              "has "
                  + pg.rates().size()
                  + " rates but the backbone has "
                  + groups.getAsInt()
                  + " layer groups; give one rate per group, g0 first");
        }
      }
      case ParameterSpec.Decay d -> {
        positiveForm(d.factor(), path + ".decay", "a positive decay factor", c);
        if (d.top() != null && !(d.top() > 0)) {
          c.add(path + ".top", "must be a positive learning rate (got " + format(d.top()) + ")");
        }
      }
    }
  }

  private void positiveForm(ParameterSpec spec, String path, String what, Checks c) {
    switch (spec) {
      case ParameterSpec.Value v -> positive(v.value(), path, what, c);
      case ParameterSpec.Values vs -> {
        for (int i = 0; i < vs.values().size(); i++) {
          positive(vs.values().get(i), path + ".values[" + i + "]", what, c);
        }
      }
      case ParameterSpec.Distribution d -> {
        int before = c.errors.size();
        range(d, path, c);
        if (c.errors.size() == before && !(d.min() > 0)) {
          c.add(path + ".min", "must be " + what + " (got " + format(d.min()) + ")");
        }
      }
      default -> c.add(path, "must be a number or a value, values or distribution form");
    }
  }

  private void positive(JsonNode v, String path, String what, Checks c) {
    if (!v.isNumber()) {
      c.add(path, "must be a number (got " + SweepLoader.show(v) + ")");
    } else if (!(v.doubleValue() > 0)) {
      c.add(path, "must be " + what + " (got " + format(v.doubleValue()) + ")");
    }
  }

  private void distribution(
      ParameterName name, Distribution d, String path, OptionalInt groups, Checks c) {
    if (name.choice()) {
      c.add(
          path + ".distribution",
          name.key()
              + " is a choice, not a number: use value or values (got distribution "
              + d.kind().key()
              + ")");
      return;
    }
    if (name.wholeNumber() && d.kind() != Distribution.Kind.INT_UNIFORM) {
      c.add(
          path + ".distribution",
          name.key()
              + " takes whole numbers: use int_uniform or values (got "
              + d.kind().key()
              + ")");
      return;
    }
    if (!name.wholeNumber() && d.kind() == Distribution.Kind.INT_UNIFORM) {
      c.add(
          path + ".distribution",
          "int_uniform is for whole-number parameters (freeze_depth, batch_size, epochs,"
              + " warmup_epochs, input_size); "
              + name.key()
              + " takes uniform, log_uniform, q_uniform or q_log_uniform");
      return;
    }
    if (!range(d, path, c)) {
      return;
    }
    value(name, numberNode(d.min()), path + ".min", groups, c);
    value(name, numberNode(d.max()), path + ".max", groups, c);
  }

  /** Checks a distribution's own shape; false when it is broken. */
  private boolean range(Distribution d, String path, Checks c) {
    int before = c.errors.size();
    if (d.kind() == Distribution.Kind.INT_UNIFORM) {
      for (var e : Map.of("min", d.min(), "max", d.max()).entrySet()) {
        if (e.getValue() != Math.rint(e.getValue())) {
          c.add(
              path + "." + e.getKey(),
              "must be a whole number for int_uniform (got " + format(e.getValue()) + ")");
        }
      }
    }
    if (!(d.max() > d.min())) {
      c.add(
          path + ".max", "must be > min (got " + format(d.max()) + " <= " + format(d.min()) + ")");
    }
    if (d.kind().logScale() && !(d.min() > 0)) {
      c.add(
          path + ".min",
          d.kind().key() + " needs min > 0 (got " + format(d.min()) + "); use uniform for 0");
    }
    if (d.kind().quantised() && d.q() == null) {
      c.add(path + ".q", "required for " + d.kind().key() + ": the step values are rounded to");
    }
    if (d.q() != null) {
      if (!d.kind().quantised() && d.kind() != Distribution.Kind.INT_UNIFORM) {
        c.add(
            path + ".q",
            "is only used by q_uniform, q_log_uniform and int_uniform (got "
                + d.kind().key()
                + "); use q_"
                + d.kind().key());
      } else if (!(d.q() > 0)) {
        c.add(path + ".q", "must be > 0 (got " + format(d.q()) + ")");
      } else if (d.kind() == Distribution.Kind.INT_UNIFORM && d.q() != Math.rint(d.q())) {
        c.add(path + ".q", "must be a whole number for int_uniform (got " + format(d.q()) + ")");
      }
    }
    return c.errors.size() == before;
  }

  /** Checks one concrete value of a parameter. */
  private void value(ParameterName name, JsonNode v, String path, OptionalInt groups, Checks c) {
    String got = " (got " + SweepLoader.show(v) + ")";
    switch (name) {
      case LR_HEAD, LR_BACKBONE -> {
        if (!v.isNumber() || !(v.doubleValue() > 0)) {
          c.add(path, "must be a positive learning rate" + got);
        }
      }
      case WEIGHT_DECAY -> {
        if (!v.isNumber() || v.doubleValue() < 0) {
          c.add(path, "must be a number >= 0" + got);
        }
      }
      case MOMENTUM, DROPOUT -> {
        if (!v.isNumber() || v.doubleValue() < 0 || v.doubleValue() >= 1) {
          c.add(path, "must be in [0, 1)" + got);
        }
      }
      case BATCH_SIZE, EPOCHS -> {
        if (!whole(v) || v.longValue() < 1) {
          c.add(path, "must be a whole number >= 1" + got);
        }
      }
      case WARMUP_EPOCHS -> {
        if (!whole(v) || v.longValue() < 0) {
          c.add(path, "must be a whole number >= 0" + got);
        }
      }
      case INPUT_SIZE -> {
        int min = minInputSize.orElse(1);
        if (!whole(v) || v.longValue() < min) {
          c.add(
              path,
              (min > 1
                      ? "must be at least " + min + " pixels for this source model"
                      : "must be a whole number >= 1")
                  + got);
        }
      }
      case AUGMENTATION -> choice(v, path, got, AUGMENTATIONS, c);
      case BATCH_NORM -> choice(v, path, got, BATCH_NORM_MODES, c);
      case OPTIMIZER -> {
        if (!v.isTextual() || !OPTIMIZERS.contains(v.asText())) {
          String typo = v.isTextual() ? Suggestions.didYouMean(v.asText(), OPTIMIZERS) : "";
          c.add(path, "unknown optimizer" + got + typo + "; known optimizers: adam, adamw, sgd");
        }
      }
      case FREEZE_DEPTH -> {
        if (v.isTextual() && v.asText().equals("all")) {
          return;
        }
        if (groups.isPresent()) {
          int n = groups.getAsInt();
          if (!whole(v) || v.longValue() < 0 || v.longValue() > n) {
            c.add(
                path,
                "must be in [0, "
                    + n
                    + "] for this backbone of "
                    + n
                    + " layer groups, or 'all'"
                    + got);
          }
        } else if (!whole(v) || v.longValue() < 0) {
          c.add(path, "must be a whole number >= 0 or 'all'" + got);
        }
      }
    }
  }

  private static void choice(JsonNode v, String path, String got, List<String> known, Checks c) {
    if (!v.isTextual() || !known.contains(v.asText())) {
      String typo = v.isTextual() ? Suggestions.didYouMean(v.asText(), known) : "";
      c.add(path, "must be one of " + String.join(", ", known) + got + typo);
    }
  }

  private static boolean whole(JsonNode v) {
    return v.isIntegralNumber();
  }

  private static JsonNode numberNode(double d) {
    return d == Math.rint(d) && Math.abs(d) < 1e15
        ? com.fasterxml.jackson.databind.node.LongNode.valueOf((long) d)
        : com.fasterxml.jackson.databind.node.DoubleNode.valueOf(d);
  }

  /** The smallest and largest value a numeric form can take. */
  private static double[] bounds(ParameterSpec spec) {
    return switch (spec) {
      case ParameterSpec.Value v -> new double[] {v.value().doubleValue(), v.value().doubleValue()};
      case ParameterSpec.Values vs ->
          new double[] {
            vs.values().stream().mapToDouble(JsonNode::doubleValue).min().orElseThrow(),
            vs.values().stream().mapToDouble(JsonNode::doubleValue).max().orElseThrow()
          };
      case ParameterSpec.Distribution d -> new double[] {d.min(), d.max()};
      default -> new double[] {Double.NaN, Double.NaN};
    };
  }

  /** A number as a person would write it: 0.001, 1E-7, 5. */
  static String format(double d) {
    if (Double.isNaN(d) || Double.isInfinite(d)) {
      return Double.toString(d);
    }
    String s = BigDecimal.valueOf(d).stripTrailingZeros().toString();
    return s.replace("E-", "e-").replace("E+", "e");
  }

  private static final class Checks {
    final List<SweepError> errors = new ArrayList<>();

    void add(String path, String message) {
      errors.add(SweepError.at(path, message));
    }

    void atLeast(String path, int value, int min) {
      if (value < min) {
        add(path, "must be >= " + min + " (got " + value + ")");
      }
    }

    boolean none(String prefix) {
      return errors.stream().noneMatch(e -> e.path().startsWith(prefix));
    }
  }
}
