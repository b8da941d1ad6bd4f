package dev.thaw.sweep;

import static dev.thaw.sweep.Fields.orDefault;
import static dev.thaw.sweep.PositionedYaml.join;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.thaw.text.Suggestions;
import java.util.List;

/** The {@code early_termination} section: the rule that stops unpromising trials of a sweep. */
final class EarlyTerminationSection {
  private static final String P = "early_termination";

  private EarlyTerminationSection() {}

  /** The rule with its defaults; none when the section is absent or its type unusable. */
  static EarlyTerminationSpec read(Fields r, ObjectNode root) {
    ObjectNode o = r.object(root, "", P);
    if (o == null) {
      return new EarlyTerminationSpec.None();
    }
    String type = r.text(o, P, "type");
    if (type == null) {
      if (!Fields.present(o, "type")) {
        r.error(
            join(P, "type"), "required: one of " + String.join(", ", EarlyTerminationSpec.types()));
      }
      return new EarlyTerminationSpec.None();
    }
    return switch (type) {
      case "none" -> {
        r.unknownKeys(o, P, List.of("type"));
        yield new EarlyTerminationSpec.None();
      }
      case "median" -> {
        r.unknownKeys(o, P, List.of("type", "min_trials", "warmup_epochs"));
        yield new EarlyTerminationSpec.Median(
            orDefault(r.integer(o, P, "min_trials"), 5),
            orDefault(r.integer(o, P, "warmup_epochs"), 1));
      }
      case "asha" -> {
        r.unknownKeys(o, P, List.of("type", "min_epochs", "reduction_factor", "brackets"));
        yield new EarlyTerminationSpec.Asha(
            orDefault(r.integer(o, P, "min_epochs"), 1),
            orDefault(r.integer(o, P, "reduction_factor"), 3),
            orDefault(r.integer(o, P, "brackets"), 1));
      }
      default -> {
        r.error(
            join(P, "type"),
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

  static void check(EarlyTerminationSpec spec, Checks c) {
    switch (spec) {
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
  }
}
