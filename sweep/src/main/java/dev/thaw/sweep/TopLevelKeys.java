package dev.thaw.sweep;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.thaw.sweep.search.SearchMethod;
import dev.thaw.text.Suggestions;
import java.util.Arrays;
import java.util.List;
import java.util.regex.Pattern;

/**
 * The sweep file's top-level keys: which sections there are, and the plain values beside them (the
 * name, the search method, the trial counts).
 */
final class TopLevelKeys {
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

  private static final Pattern NAME = Pattern.compile("[a-z0-9][a-z0-9\\-_.]*");

  /** Longest sweep name: it names the MLflow experiment and is stored in a 200-character column. */
  private static final int MAX_NAME = 100;

  private TopLevelKeys() {}

  static void unknownKeys(Fields r, ObjectNode root) {
    r.unknownKeys(root, "", ROOT_KEYS);
  }

  static String name(Fields r, ObjectNode root) {
    String name = r.text(root, "", "name");
    if (name == null && !Fields.present(root, "name")) {
      r.error("name", "required: the sweep's name, e.g. name: mnist-freeze-grid");
    }
    return name;
  }

  static SearchMethod method(Fields r, ObjectNode root) {
    List<String> names = Arrays.stream(SearchMethod.values()).map(SearchMethod::key).toList();
    String text = r.text(root, "", "method");
    if (text == null) {
      if (!Fields.present(root, "method")) {
        r.error("method", "required: one of " + String.join(", ", names));
      }
      return null;
    }
    for (SearchMethod m : SearchMethod.values()) {
      if (m.key().equals(text)) {
        return m;
      }
    }
    r.error(
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

  /** Checks the name and the trial counts. */
  static void check(SweepSpec spec, Checks c) {
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
  }
}
