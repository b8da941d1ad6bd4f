package dev.thaw.sweep;

import static dev.thaw.sweep.PositionedYaml.join;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.thaw.trial.EarlyStoppingSpec;
import dev.thaw.trial.Metric;
import java.util.List;

/** The {@code early_stopping} section: when one trial stops training on its own metric. */
final class EarlyStoppingSection {
  private static final List<String> KEYS =
      List.of("monitor", "mode", "patience", "min_delta", "restore_best_weights");
  private static final String P = "early_stopping";

  private EarlyStoppingSection() {}

  /** The rule as written, or null when the section is absent (the trainer's defaults apply). */
  static EarlyStoppingSpec read(Fields r, ObjectNode root) {
    ObjectNode o = r.section(root, P, KEYS);
    if (o == null) {
      return null;
    }
    Metric monitor = r.metric(o, P, "monitor");
    Metric.Mode mode = null;
    String modeText = r.text(o, P, "mode");
    if (modeText != null) {
      if (modeText.equals("min") || modeText.equals("max")) {
        mode = Metric.Mode.parse(modeText);
      } else {
        r.error(join(P, "mode"), "must be min or max (got '" + modeText + "')");
      }
    }
    return new EarlyStoppingSpec(
        monitor,
        mode,
        r.integer(o, P, "patience"),
        r.number(o, P, "min_delta"),
        r.bool(o, P, "restore_best_weights"));
  }

  static void check(EarlyStoppingSpec spec, Checks c) {
    if (spec == null) {
      return;
    }
    c.atLeast("early_stopping.patience", spec.patience(), 1);
    if (spec.minDelta() < 0) {
      c.add("early_stopping.min_delta", "must be >= 0 (got " + Shown.number(spec.minDelta()) + ")");
    }
  }
}
