package dev.thaw.sweep;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.thaw.sweep.SweepSpec.Goal;
import dev.thaw.text.Suggestions;
import dev.thaw.trial.Metric;
import java.util.List;

/** The {@code objective} section: the metric a sweep optimises, its goal and target. */
final class ObjectiveSection {
  private ObjectiveSection() {}

  /** The objective, its goal defaulting to the metric's; null when absent or not a mapping. */
  static SweepSpec.Objective read(Fields r, ObjectNode root) {
    ObjectNode o = r.object(root, "", "objective");
    if (o == null) {
      if (!Fields.present(root, "objective")) {
        r.error("objective", "required, e.g. objective: {metric: val_accuracy}");
      }
      return null;
    }
    r.unknownKeys(o, "objective", List.of("metric", "goal", "target"));
    Metric metric = r.metric(o, "objective", "metric");
    if (metric == null && !Fields.present(o, "metric")) {
      r.error("objective.metric", "required: one of " + Fields.metricKeys());
    }
    Goal goal = null;
    String goalText = r.text(o, "objective", "goal");
    if (goalText != null) {
      goal =
          switch (goalText) {
            case "minimize" -> Goal.MINIMIZE;
            case "maximize" -> Goal.MAXIMIZE;
            default -> {
              r.error(
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
    return new SweepSpec.Objective(metric, goal, r.number(o, "objective", "target"));
  }
}
