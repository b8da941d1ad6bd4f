package dev.thaw.sweep;

import com.fasterxml.jackson.core.JsonLocation;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import dev.thaw.sweep.ParameterSpec.Distribution;
import dev.thaw.sweep.SweepSpec.Goal;
import dev.thaw.sweep.search.SearchMethod;
import dev.thaw.text.Suggestions;
import dev.thaw.trial.EarlyStoppingSpec;
import dev.thaw.trial.Metric;
import dev.thaw.trial.TargetSpec;
import java.io.IOException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.EnumMap;
import java.util.HashMap;
import java.util.Iterator;
import java.util.List;
import java.util.Map;

/**
 * Reads a sweep file (YAML, snake_case keys) into a {@link SweepSpec} with defaults applied. The
 * reader is lenient so that one pass finds every structural problem: a malformed or misplaced value
 * is reported (with its line and column) and left out, and reading goes on. Unknown keys are errors
 * with a "did you mean" and the list of known keys. Only a YAML syntax error stops it.
 */
public final class SweepLoader {
  private static final YAMLFactory YAML = new YAMLFactory();

  /** YAML 1.1/1.2 spellings of not-a-number and the infinities. */
  private static final java.util.regex.Pattern NON_FINITE =
      java.util.regex.Pattern.compile("[-+]?\\.(inf|Inf|INF)|\\.(nan|NaN|NAN)");

  private static final JsonNodeFactory F = JsonNodeFactory.instance;

  static final List<String> ROOT_KEYS =
      List.of(
          "name",
          "description",
          "objective",
          "method",
          "parameters",
          "max_trials",
          "parallel_trials",
          "max_failed_trials",
          "retries",
          "seed",
          "early_stopping",
          "early_termination",
          "schedule",
          "mlflow",
          "task");
  private static final List<String> SCALAR_FORMS = List.of("value", "values", "distribution");
  private static final List<String> BACKBONE_FORMS =
      List.of("value", "values", "distribution", "slice", "per_group", "decay");
  private static final List<String> DISTRIBUTION_KEYS = List.of("min", "max", "q");

  private final List<SweepError> errors = new ArrayList<>();
  private final Map<String, Position> values = new HashMap<>();
  private final Map<String, Position> keys = new HashMap<>();

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
        path = parent(path);
        p = keys.containsKey(path) ? keys.get(path) : values.get(path);
      }
      return p == null ? error : error.at(p.line(), p.column());
    }
  }

  /** Reads a sweep from YAML text; never throws on bad input. */
  public static Loaded load(String yaml) {
    SweepLoader loader = new SweepLoader();
    SweepSpec spec = null;
    try {
      JsonNode root = loader.parse(yaml);
      spec = loader.bind(root);
    } catch (JsonProcessingException e) {
      JsonLocation loc = e.getLocation();
      String message = e.getOriginalMessage().lines().findFirst().orElse("").strip();
      loader.errors.add(
          new SweepError(
              "",
              "YAML syntax error: " + message,
              loc == null ? null : loc.getLineNr(),
              loc == null ? null : loc.getColumnNr()));
    } catch (IOException e) {
      loader.errors.add(SweepError.at("", "cannot read: " + e.getMessage()));
    }
    return new Loaded(spec, loader.errors, loader.values, loader.keys);
  }

  // ---- YAML to a tree, remembering where every key and value starts ----

  private JsonNode parse(String yaml) throws IOException {
    try (JsonParser p = YAML.createParser(yaml)) {
      if (p.nextToken() == null) {
        return F.nullNode();
      }
      return read(p, "");
    }
  }

  private JsonNode read(JsonParser p, String path) throws IOException {
    values.putIfAbsent(path, position(p.currentTokenLocation()));
    JsonToken token = p.currentToken();
    switch (token) {
      case START_OBJECT -> {
        ObjectNode object = F.objectNode();
        while (p.nextToken() == JsonToken.FIELD_NAME) {
          String key = p.currentName();
          String child = join(path, key);
          Position keyAt = position(p.currentTokenLocation());
          p.nextToken();
          JsonNode value = read(p, child);
          if (object.has(key)) {
            errors.add(
                new SweepError(child, "duplicate key '" + key + "'", keyAt.line(), keyAt.column()));
          } else {
            keys.put(child, keyAt);
          }
          object.set(key, value);
        }
        return object;
      }
      case START_ARRAY -> {
        ArrayNode array = F.arrayNode();
        int i = 0;
        while (p.nextToken() != JsonToken.END_ARRAY) {
          array.add(read(p, path + "[" + i++ + "]"));
        }
        return array;
      }
      case VALUE_STRING -> {
        return F.textNode(p.getText());
      }
      case VALUE_NUMBER_INT -> {
        return p.getNumberType() == JsonParser.NumberType.BIG_INTEGER
            ? F.numberNode(p.getBigIntegerValue())
            : F.numberNode(p.getLongValue());
      }
      case VALUE_NUMBER_FLOAT -> {
        // YAML's .nan and .inf are floats Jackson cannot read as numbers; kept as the text they
        // are, the field that holds one says what it takes instead of a bare syntax error.
        String text = p.getText();
        return NON_FINITE.matcher(text).matches()
            ? F.textNode(text)
            : F.numberNode(p.getDoubleValue());
      }
      case VALUE_TRUE, VALUE_FALSE -> {
        return F.booleanNode(token == JsonToken.VALUE_TRUE);
      }
      default -> {
        return F.nullNode();
      }
    }
  }

  private static Position position(JsonLocation loc) {
    return new Position(loc.getLineNr(), loc.getColumnNr());
  }

  static String join(String path, String key) {
    return path.isEmpty() ? key : path + "." + key;
  }

  static String parent(String path) {
    int dot = path.lastIndexOf('.');
    int bracket = path.lastIndexOf('[');
    int cut = Math.max(dot, bracket);
    return cut < 0 ? "" : path.substring(0, cut);
  }

  // ---- tree to typed spec ----

  private SweepSpec bind(JsonNode root) {
    if (root.isNull() || root.isMissingNode()) {
      error("", "the file is empty; a sweep needs at least name, objective, method and task");
      return null;
    }
    if (!root.isObject()) {
      error("", "must be a mapping of sweep keys (got " + show(root) + ")");
      return null;
    }
    ObjectNode o = (ObjectNode) root;
    unknownKeys(o, "", ROOT_KEYS);
    String name = text(o, "", "name");
    if (name == null && !present(o, "name")) {
      error("name", "required: the sweep's name, e.g. name: mnist-freeze-grid");
    }
    String description = text(o, "", "description");
    SweepSpec.Objective objective = objective(o);
    SearchMethod method = method(o);
    Map<ParameterName, ParameterSpec> parameters = parameters(o);
    Integer maxTrials = integer(o, "", "max_trials");
    int parallelTrials = orDefault(integer(o, "", "parallel_trials"), 1);
    int maxFailedTrials = orDefault(integer(o, "", "max_failed_trials"), 3);
    int retries = orDefault(integer(o, "", "retries"), 1);
    Long seed = longValue(o, "", "seed");
    EarlyStoppingSpec earlyStopping = earlyStopping(o);
    EarlyTerminationSpec earlyTermination = earlyTermination(o);
    SweepSpec.Schedule schedule = schedule(o);
    ObjectNode mlflowNode = object(o, "", "mlflow");
    String experiment = mlflowNode == null ? null : text(mlflowNode, "mlflow", "experiment");
    String trackingUri = mlflowNode == null ? null : text(mlflowNode, "mlflow", "tracking_uri");
    if (mlflowNode != null) {
      unknownKeys(mlflowNode, "mlflow", List.of("experiment", "tracking_uri"));
    }
    SweepSpec.Task task = task(o);

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
            new SweepSpec.Mlflow(experiment != null ? experiment : name, trackingUri),
            task);
    if (maxTrials == null && method == SearchMethod.GRID && !present(o, "max_trials")) {
      Integer gridSize = gridSize(spec);
      if (gridSize != null) {
        spec =
            new SweepSpec(
                spec.name(),
                spec.description(),
                spec.objective(),
                spec.method(),
                spec.parameters(),
                gridSize,
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
    }
    return spec;
  }

  /** The grid size when every dimension is finite and the count fits an int, else null. */
  static Integer gridSize(SweepSpec spec) {
    try {
      long size = spec.searchSpace().gridSize();
      return size > 0 && size <= Integer.MAX_VALUE ? (int) size : null;
    } catch (RuntimeException e) {
      return null; // an invalid domain: the validator reports it
    }
  }

  private SweepSpec.Objective objective(ObjectNode root) {
    ObjectNode o = object(root, "", "objective");
    if (o == null) {
      if (!present(root, "objective")) {
        error("objective", "required, e.g. objective: {metric: val_accuracy}");
      }
      return null;
    }
    unknownKeys(o, "objective", List.of("metric", "goal", "target"));
    Metric metric = metric(o, "objective", "metric");
    if (metric == null && !present(o, "metric")) {
      error("objective.metric", "required: one of " + metricKeys());
    }
    Goal goal = null;
    String goalText = text(o, "objective", "goal");
    if (goalText != null) {
      goal =
          switch (goalText) {
            case "minimize" -> Goal.MINIMIZE;
            case "maximize" -> Goal.MAXIMIZE;
            default -> {
              error(
                  "objective.goal",
                  "must be minimize or maximize (got '"
                      + goalText
                      + "')"
                      + Suggestions.didYouMean(goalText, List.of("minimize", "maximize")));
              yield null;
            }
          };
    }
    if (goal == null && metric != null) {
      goal = Goal.of(metric);
    }
    return new SweepSpec.Objective(metric, goal, number(o, "objective", "target"));
  }

  private SearchMethod method(ObjectNode root) {
    List<String> names = Arrays.stream(SearchMethod.values()).map(SearchMethod::key).toList();
    String text = text(root, "", "method");
    if (text == null) {
      if (!present(root, "method")) {
        error("method", "required: one of " + String.join(", ", names));
      }
      return null;
    }
    for (SearchMethod m : SearchMethod.values()) {
      if (m.key().equals(text)) {
        return m;
      }
    }
    error(
        "method",
        "unknown method '"
            + text
            + "'"
            + Suggestions.didYouMean(text, names)
            + " (known: "
            + String.join(", ", names)
            + ")");
    return null;
  }

  private Map<ParameterName, ParameterSpec> parameters(ObjectNode root) {
    Map<ParameterName, ParameterSpec> result = new EnumMap<>(ParameterName.class);
    ObjectNode o = object(root, "", "parameters");
    if (o == null) {
      return result;
    }
    unknownKeys(o, "parameters", ParameterName.keys());
    for (Map.Entry<String, JsonNode> entry : o.properties()) {
      var name = ParameterName.of(entry.getKey());
      if (name.isEmpty()) {
        continue;
      }
      ParameterSpec spec =
          form(
              entry.getValue(),
              "parameters." + entry.getKey(),
              name.get() == ParameterName.LR_BACKBONE);
      if (spec != null) {
        result.put(name.get(), spec);
      }
    }
    return result;
  }

  /** One parameter form; null (with an error) when it cannot be read. */
  private ParameterSpec form(JsonNode node, String path, boolean backbone) {
    List<String> forms = backbone ? BACKBONE_FORMS : SCALAR_FORMS;
    if (!node.isObject()) {
      error(
          path,
          "must be a mapping with one of "
              + String.join(", ", forms)
              + " (got "
              + show(node)
              + "); e.g. {value: "
              + (node.isValueNode() && !node.isNull() ? node.toString() : "x")
              + "}");
      return null;
    }
    ObjectNode o = (ObjectNode) node;
    List<String> known = new ArrayList<>(forms);
    known.addAll(DISTRIBUTION_KEYS);
    if (backbone) {
      known.add("top");
    }
    List<String> misplaced =
        Distribution.Kind.keys().stream().filter(k -> o.has(k) && !known.contains(k)).toList();
    for (String kind : misplaced) {
      error(
          join(path, kind),
          "a distribution is written 'distribution: "
              + kind
              + "' beside its bounds, e.g. {distribution: "
              + kind
              + ", min: ..., max: ...}");
    }
    known.addAll(misplaced);
    unknownKeys(o, path, known);
    List<String> given = forms.stream().filter(k -> present(o, k)).toList();
    if (given.isEmpty()) {
      if (!misplaced.isEmpty()) {
        return null;
      }
      if (present(o, "min") || present(o, "max")) {
        error(
            join(path, "distribution"),
            "required with min and max: one of " + String.join(", ", Distribution.Kind.keys()));
      } else {
        error(path, "needs one of: " + String.join(", ", forms));
      }
      return null;
    }
    if (given.size() > 1) {
      error(
          path,
          "has "
              + String.join(" and ", given)
              + "; give exactly one of "
              + String.join(", ", forms));
      return null;
    }
    String form = given.get(0);
    if (!form.equals("distribution")) {
      for (String k : DISTRIBUTION_KEYS) {
        if (present(o, k)) {
          error(join(path, k), "is only used with distribution (this parameter uses " + form + ")");
        }
      }
    }
    if (!form.equals("decay") && present(o, "top")) {
      error(join(path, "top"), "is only used with decay");
    }
    return switch (form) {
      case "value" -> value(o.get("value"), join(path, "value"));
      case "values" -> valueList(o.get("values"), join(path, "values"));
      case "distribution" -> distribution(o, path);
      case "slice" -> slice(o.get("slice"), join(path, "slice"));
      case "per_group" -> perGroup(o.get("per_group"), join(path, "per_group"));
      default -> decay(o, path);
    };
  }

  private ParameterSpec value(JsonNode v, String path) {
    if (v.isNull()) {
      error(path, "must not be empty");
      return null;
    }
    if (!v.isValueNode()) {
      error(path, "must be a single value (got " + show(v) + "); use values for a list");
      return null;
    }
    return new ParameterSpec.Value(v);
  }

  private ParameterSpec valueList(JsonNode v, String path) {
    if (!v.isArray()) {
      error(path, "must be a list, e.g. values: [1, 2] (got " + show(v) + ")");
      return null;
    }
    if (v.isEmpty()) {
      error(path, "must not be empty: list at least one value");
      return null;
    }
    List<JsonNode> list = new ArrayList<>();
    boolean ok = true;
    for (int i = 0; i < v.size(); i++) {
      if (!v.get(i).isValueNode() || v.get(i).isNull()) {
        error(path + "[" + i + "]", "must be a single value (got " + show(v.get(i)) + ")");
        ok = false;
      }
      list.add(v.get(i));
    }
    return ok ? new ParameterSpec.Values(list) : null;
  }

  private ParameterSpec distribution(ObjectNode o, String path) {
    String name = text(o, path, "distribution");
    if (name == null) {
      return null;
    }
    var kind = Distribution.Kind.of(name);
    if (kind.isEmpty()) {
      error(
          join(path, "distribution"),
          "unknown distribution '"
              + name
              + "'"
              + Suggestions.didYouMean(name, Distribution.Kind.keys())
              + " (known: "
              + String.join(", ", Distribution.Kind.keys())
              + ")");
      return null;
    }
    Double min = number(o, path, "min");
    Double max = number(o, path, "max");
    Double q = number(o, path, "q");
    for (String k : List.of("min", "max")) {
      if (!present(o, k)) {
        error(join(path, k), "required for " + name);
      }
    }
    if (min == null || max == null || (q == null && present(o, "q"))) {
      return null;
    }
    return new Distribution(kind.get(), min, max, q);
  }

  private ParameterSpec slice(JsonNode s, String path) {
    if (s.isArray()) {
      if (s.size() != 2 || !s.get(0).isNumber() || !s.get(1).isNumber()) {
        error(path, "must be [lo, hi], two numbers (got " + show(s) + ")");
        return null;
      }
      return new ParameterSpec.Slice(
          new ParameterSpec.Value(s.get(0)), new ParameterSpec.Value(s.get(1)));
    }
    if (s.isObject()) {
      ObjectNode o = (ObjectNode) s;
      unknownKeys(o, path, List.of("lo", "hi"));
      ParameterSpec lo = null;
      ParameterSpec hi = null;
      for (String end : List.of("lo", "hi")) {
        if (!present(o, end)) {
          error(join(path, end), "required: a form such as {value: 1e-4} or a distribution");
          continue;
        }
        ParameterSpec f = form(o.get(end), join(path, end), false);
        if (end.equals("lo")) {
          lo = f;
        } else {
          hi = f;
        }
      }
      return lo == null || hi == null ? null : new ParameterSpec.Slice(lo, hi);
    }
    error(
        path,
        "must be [lo, hi] or {lo: <form>, hi: <form>} (got " + show(s) + "); e.g. [1e-5, 1e-3]");
    return null;
  }

  private ParameterSpec perGroup(JsonNode v, String path) {
    if (!v.isArray() || v.isEmpty()) {
      error(
          path,
          "must be a non-empty list of rates, g0 first, e.g. [1e-5, 1e-4] (got " + show(v) + ")");
      return null;
    }
    List<Double> rates = new ArrayList<>();
    for (int i = 0; i < v.size(); i++) {
      if (!v.get(i).isNumber()) {
        error(path + "[" + i + "]", "must be a number (got " + show(v.get(i)) + ")");
        return null;
      }
      rates.add(v.get(i).doubleValue());
    }
    return new ParameterSpec.PerGroup(rates);
  }

  private ParameterSpec decay(ObjectNode o, String path) {
    JsonNode d = o.get("decay");
    Double top = number(o, path, "top");
    if (top == null && present(o, "top")) {
      return null;
    }
    ParameterSpec factor =
        d.isNumber() ? new ParameterSpec.Value(d) : form(d, join(path, "decay"), false);
    return factor == null ? null : new ParameterSpec.Decay(factor, top);
  }

  private EarlyStoppingSpec earlyStopping(ObjectNode root) {
    ObjectNode o = object(root, "", "early_stopping");
    if (o == null) {
      return null;
    }
    String p = "early_stopping";
    unknownKeys(o, p, List.of("monitor", "mode", "patience", "min_delta", "restore_best_weights"));
    Metric monitor = metric(o, p, "monitor");
    Metric.Mode mode = null;
    String modeText = text(o, p, "mode");
    if (modeText != null) {
      if (modeText.equals("min") || modeText.equals("max")) {
        mode = Metric.Mode.parse(modeText);
      } else {
        error(join(p, "mode"), "must be min or max (got '" + modeText + "')");
      }
    }
    return new EarlyStoppingSpec(
        monitor,
        mode,
        integer(o, p, "patience"),
        number(o, p, "min_delta"),
        bool(o, p, "restore_best_weights"));
  }

  private EarlyTerminationSpec earlyTermination(ObjectNode root) {
    ObjectNode o = object(root, "", "early_termination");
    if (o == null) {
      return new EarlyTerminationSpec.None();
    }
    String p = "early_termination";
    String type = text(o, p, "type");
    if (type == null) {
      if (!present(o, "type")) {
        error(
            join(p, "type"), "required: one of " + String.join(", ", EarlyTerminationSpec.types()));
      }
      return new EarlyTerminationSpec.None();
    }
    return switch (type) {
      case "none" -> {
        unknownKeys(o, p, List.of("type"));
        yield new EarlyTerminationSpec.None();
      }
      case "median" -> {
        unknownKeys(o, p, List.of("type", "min_trials", "warmup_epochs"));
        yield new EarlyTerminationSpec.Median(
            orDefault(integer(o, p, "min_trials"), 5),
            orDefault(integer(o, p, "warmup_epochs"), 1));
      }
      case "asha" -> {
        unknownKeys(o, p, List.of("type", "min_epochs", "reduction_factor", "brackets"));
        yield new EarlyTerminationSpec.Asha(
            orDefault(integer(o, p, "min_epochs"), 1),
            orDefault(integer(o, p, "reduction_factor"), 3),
            orDefault(integer(o, p, "brackets"), 1));
      }
      default -> {
        error(
            join(p, "type"),
            "unknown type '"
                + type
                + "'"
                + Suggestions.didYouMean(type, EarlyTerminationSpec.types())
                + " (known: "
                + String.join(", ", EarlyTerminationSpec.types())
                + ")");
        yield new EarlyTerminationSpec.None();
      }
    };
  }

  private SweepSpec.Schedule schedule(ObjectNode root) {
    ObjectNode o = object(root, "", "schedule");
    if (o == null) {
      return null;
    }
    unknownKeys(
        o,
        "schedule",
        List.of("cron", "time_zone", "overlap", "warm_start", "regression_threshold"));
    String cron = text(o, "schedule", "cron");
    if (cron == null && !present(o, "cron")) {
      error("schedule.cron", "required: a Quartz cron expression, e.g. \"0 0 2 * * ?\"");
    }
    String zone = text(o, "schedule", "time_zone");
    SweepSpec.Overlap overlap = SweepSpec.Overlap.SKIP;
    String overlapText = text(o, "schedule", "overlap");
    if (overlapText != null) {
      List<String> known =
          Arrays.stream(SweepSpec.Overlap.values()).map(SweepSpec.Overlap::key).toList();
      if (known.contains(overlapText)) {
        overlap = SweepSpec.Overlap.valueOf(overlapText.toUpperCase(java.util.Locale.ROOT));
      } else {
        error(
            "schedule.overlap",
            "must be one of "
                + String.join(", ", known)
                + " (got '"
                + overlapText
                + "')"
                + Suggestions.didYouMean(overlapText, known));
      }
    }
    Double threshold = number(o, "schedule", "regression_threshold");
    return new SweepSpec.Schedule(
        cron,
        zone == null ? "UTC" : zone,
        overlap,
        orDefault(integer(o, "schedule", "warm_start"), SweepSpec.Schedule.DEFAULT_WARM_START),
        threshold == null ? SweepSpec.Schedule.DEFAULT_REGRESSION_THRESHOLD : threshold);
  }

  private SweepSpec.Task task(ObjectNode root) {
    ObjectNode o = object(root, "", "task");
    if (o == null) {
      if (!present(root, "task")) {
        error(
            "task",
            "required: the source model and target data, e.g."
                + " task: {source_model: pretrained:NAME, target: {dataset: mnist}}");
      }
      return null;
    }
    unknownKeys(o, "task", List.of("source_model", "target"));
    String source = text(o, "task", "source_model");
    if (source == null && !present(o, "source_model")) {
      error("task.source_model", "required, e.g. pretrained:thaw-cnn-fashion-mnist-0-4");
    }
    ObjectNode t = object(o, "task", "target");
    TargetSpec target = null;
    if (t == null) {
      if (!present(o, "target")) {
        error("task.target", "required, e.g. target: {dataset: mnist}");
      }
    } else {
      String p = "task.target";
      unknownKeys(
          t, p, List.of("dataset", "validation_fraction", "labels_per_class", "data_fraction"));
      String dataset = text(t, p, "dataset");
      if (dataset == null && !present(t, "dataset")) {
        error(join(p, "dataset"), "required, e.g. mnist, fashion-mnist[0-4] or folder:/data/pets");
      }
      target =
          new TargetSpec(
              dataset,
              number(t, p, "validation_fraction"),
              integer(t, p, "labels_per_class"),
              number(t, p, "data_fraction"));
    }
    return new SweepSpec.Task(source, target);
  }

  private Metric metric(ObjectNode o, String path, String key) {
    String text = text(o, path, key);
    if (text == null) {
      return null;
    }
    for (Metric m : Metric.values()) {
      if (m.key().equals(text)) {
        return m;
      }
    }
    List<String> names = Arrays.stream(Metric.values()).map(Metric::key).toList();
    error(
        join(path, key),
        "unknown metric '"
            + text
            + "'"
            + Suggestions.didYouMean(text, names)
            + " (known: "
            + metricKeys()
            + ")");
    return null;
  }

  private static String metricKeys() {
    return String.join(", ", Arrays.stream(Metric.values()).map(Metric::key).toList());
  }

  // ---- typed reads of one key; a wrong type is an error and reads as absent ----

  private static boolean present(ObjectNode o, String key) {
    return o.has(key) && !o.get(key).isNull();
  }

  private void unknownKeys(ObjectNode o, String path, List<String> known) {
    for (Iterator<String> it = o.fieldNames(); it.hasNext(); ) {
      String key = it.next();
      if (!known.contains(key)) {
        String child = join(path, key);
        Position at = keys.get(child);
        String message =
            "unknown key '"
                + key
                + "'"
                + Suggestions.didYouMean(key, known)
                + " (known keys"
                + (path.isEmpty() ? "" : " of " + path)
                + ": "
                + String.join(", ", known)
                + ")";
        errors.add(
            new SweepError(
                child, message, at == null ? null : at.line(), at == null ? null : at.column()));
      }
    }
  }

  private ObjectNode object(ObjectNode o, String path, String key) {
    if (!present(o, key)) {
      return null;
    }
    JsonNode v = o.get(key);
    if (!v.isObject()) {
      error(join(path, key), "must be a mapping of keys (got " + show(v) + ")");
      return null;
    }
    return (ObjectNode) v;
  }

  private String text(ObjectNode o, String path, String key) {
    if (!present(o, key)) {
      return null;
    }
    JsonNode v = o.get(key);
    if (!v.isTextual()) {
      error(join(path, key), "must be a string (got " + show(v) + ")");
      return null;
    }
    return v.asText();
  }

  private Integer integer(ObjectNode o, String path, String key) {
    if (!present(o, key)) {
      return null;
    }
    JsonNode v = o.get(key);
    if (!v.isIntegralNumber() || !v.canConvertToInt()) {
      error(join(path, key), "must be a whole number (got " + show(v) + ")");
      return null;
    }
    return v.intValue();
  }

  private Long longValue(ObjectNode o, String path, String key) {
    if (!present(o, key)) {
      return null;
    }
    JsonNode v = o.get(key);
    if (!v.isIntegralNumber() || !v.canConvertToLong()) {
      error(join(path, key), "must be a whole number (got " + show(v) + ")");
      return null;
    }
    return v.longValue();
  }

  private Double number(ObjectNode o, String path, String key) {
    if (!present(o, key)) {
      return null;
    }
    JsonNode v = o.get(key);
    if (!v.isNumber()) {
      error(join(path, key), "must be a number (got " + show(v) + ")");
      return null;
    }
    return v.doubleValue();
  }

  private Boolean bool(ObjectNode o, String path, String key) {
    if (!present(o, key)) {
      return null;
    }
    JsonNode v = o.get(key);
    if (!v.isBoolean()) {
      error(join(path, key), "must be true or false (got " + show(v) + ")");
      return null;
    }
    return v.booleanValue();
  }

  private static int orDefault(Integer value, int fallback) {
    return value == null ? fallback : value;
  }

  private void error(String path, String message) {
    errors.add(SweepError.at(path, message));
  }

  /** A value as the user wrote it, for messages: strings quoted, mappings and lists as JSON. */
  static String show(JsonNode v) {
    if (v.isTextual()) {
      return "'" + v.asText() + "'";
    }
    if (v.isNull()) {
      return "nothing";
    }
    if (v.isFloatingPointNumber()) {
      return SweepValidator.format(v.doubleValue());
    }
    return v.toString();
  }

  /** Orders errors by position in the file; errors without one come last. */
  static final Comparator<SweepError> FILE_ORDER =
      Comparator.comparing(
              (SweepError e) -> e.line() == null ? Integer.MAX_VALUE : e.line(),
              Comparator.naturalOrder())
          .thenComparing(e -> e.column() == null ? 0 : e.column());
}
