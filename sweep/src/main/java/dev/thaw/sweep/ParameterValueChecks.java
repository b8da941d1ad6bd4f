package dev.thaw.sweep;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.DoubleNode;
import com.fasterxml.jackson.databind.node.LongNode;
import dev.thaw.sweep.ParameterSpec.Distribution;
import dev.thaw.text.Suggestions;
import dev.thaw.trial.Augmentation;
import dev.thaw.trial.BatchNormMode;
import dev.thaw.trial.LrSchedule;
import dev.thaw.trial.OptimizerSpec;
import dev.thaw.trial.ParameterName;
import java.util.Arrays;
import java.util.List;
import java.util.Map;

/**
 * Checks the values a parameter can take (one value, or a distribution's bounds) against what that
 * parameter accepts and, for {@code freeze_depth} and {@code input_size}, against the source model.
 */
final class ParameterValueChecks {
  private static final List<String> AUGMENTATIONS =
      Arrays.stream(Augmentation.values()).map(Augmentation::key).toList();
  private static final List<String> BATCH_NORM_MODES =
      Arrays.stream(BatchNormMode.values()).map(BatchNormMode::key).toList();
  private static final List<String> LR_SCHEDULES =
      Arrays.stream(LrSchedule.values()).map(LrSchedule::key).toList();
  private static final List<String> OPTIMIZERS =
      Arrays.stream(OptimizerSpec.Name.values()).map(OptimizerSpec.Name::key).toList();

  private final TaskSection.Backbone backbone;
  private final Checks c;

  ParameterValueChecks(TaskSection.Backbone backbone, Checks c) {
    this.backbone = backbone;
    this.c = c;
  }

  /** Checks a number (or a value, values or distribution form of one) that must be positive. */
  void positiveForm(ParameterSpec spec, String path, String what) {
    switch (spec) {
      case ParameterSpec.Value v -> positive(v.value(), path, what);
      case ParameterSpec.Values vs -> {
        for (int i = 0; i < vs.values().size(); i++) {
          positive(vs.values().get(i), path + ".values[" + i + "]", what);
        }
      }
      case ParameterSpec.Distribution d -> {
        int before = c.count();
        range(d, path);
        if (c.count() == before && !(d.min() > 0)) {
          c.add(path + ".min", "must be " + what + " (got " + Shown.number(d.min()) + ")");
        }
      }
      default -> c.add(path, "must be a number or a value, values or distribution form");
    }
  }

  private void positive(JsonNode v, String path, String what) {
    if (!v.isNumber()) {
      c.add(path, "must be a number (got " + Shown.value(v) + ")");
    } else if (!(v.doubleValue() > 0)) {
      c.add(path, "must be " + what + " (got " + Shown.number(v.doubleValue()) + ")");
    }
  }

  /** Checks that the distribution suits the parameter, its shape, then its bounds as values. */
  void distribution(ParameterName name, Distribution d, String path) {
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
    if (!range(d, path)) {
      return;
    }
    value(name, numberNode(d.min()), path + ".min");
    value(name, numberNode(d.max()), path + ".max");
  }

  /** Checks a distribution's own shape; false when it is broken. */
  private boolean range(Distribution d, String path) {
    int before = c.count();
    if (d.kind() == Distribution.Kind.INT_UNIFORM) {
      for (var e : Map.of("min", d.min(), "max", d.max()).entrySet()) {
        if (e.getValue() != Math.rint(e.getValue())) {
          c.add(
              path + "." + e.getKey(),
              "must be a whole number for int_uniform (got " + Shown.number(e.getValue()) + ")");
        }
      }
    }
    if (!(d.max() > d.min())) {
      c.add(
          path + ".max",
          "must be > min (got " + Shown.number(d.max()) + " <= " + Shown.number(d.min()) + ")");
    }
    if (d.kind().logScale() && !(d.min() > 0)) {
      c.add(
          path + ".min",
          d.kind().key() + " needs min > 0 (got " + Shown.number(d.min()) + "); use uniform for 0");
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
        c.add(path + ".q", "must be > 0 (got " + Shown.number(d.q()) + ")");
      } else if (d.kind() == Distribution.Kind.INT_UNIFORM && d.q() != Math.rint(d.q())) {
        c.add(
            path + ".q",
            "must be a whole number for int_uniform (got " + Shown.number(d.q()) + ")");
      }
    }
    return c.count() == before;
  }

  /** Checks one concrete value of a parameter. */
  void value(ParameterName name, JsonNode v, String path) {
    String got = " (got " + Shown.value(v) + ")";
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
      case BATCH_SIZE, EPOCHS, UNFREEZE_EVERY -> {
        if (!v.isIntegralNumber() || v.longValue() < 1) {
          c.add(path, "must be a whole number >= 1" + got);
        }
      }
      case WARMUP_EPOCHS -> {
        if (!v.isIntegralNumber() || v.longValue() < 0) {
          c.add(path, "must be a whole number >= 0" + got);
        }
      }
      case INPUT_SIZE -> {
        int min = backbone.minInputSize().orElse(1);
        if (!v.isIntegralNumber() || v.longValue() < min) {
          c.add(
              path,
              (min > 1
                      ? "must be at least " + min + " pixels for this source model"
                      : "must be a whole number >= 1")
                  + got);
        }
      }
      case AUGMENTATION -> choice(v, path, got, AUGMENTATIONS);
      case BATCH_NORM -> choice(v, path, got, BATCH_NORM_MODES);
      case LR_SCHEDULE -> choice(v, path, got, LR_SCHEDULES);
      case OPTIMIZER -> {
        if (!v.isTextual() || !OPTIMIZERS.contains(v.asText())) {
          String typo = v.isTextual() ? Suggestions.didYouMean(v.asText(), OPTIMIZERS) : "";
          c.add(path, "unknown optimizer" + got + typo + "; known optimizers: adam, adamw, sgd");
        }
      }
      case FREEZE_DEPTH -> freezeDepth(v, path, got);
    }
  }

  private void freezeDepth(JsonNode v, String path, String got) {
    if (ParameterCodec.isAll(v)) {
      return;
    }
    if (backbone.groups().isPresent()) {
      int n = backbone.groups().getAsInt();
      if (!v.isIntegralNumber() || v.longValue() < 0 || v.longValue() > n) {
        c.add(
            path,
            "must be in [0, "
                + n
                + "] for this backbone of "
                + n
                + " layer groups, or 'all'"
                + got);
      }
    } else if (!v.isIntegralNumber() || v.longValue() < 0) {
      c.add(path, "must be a whole number >= 0 or 'all'" + got);
    }
  }

  private void choice(JsonNode v, String path, String got, List<String> known) {
    if (!v.isTextual() || !known.contains(v.asText())) {
      String typo = v.isTextual() ? Suggestions.didYouMean(v.asText(), known) : "";
      c.add(path, "must be one of " + String.join(", ", known) + got + typo);
    }
  }

  private static JsonNode numberNode(double d) {
    return d == Math.rint(d) && Math.abs(d) < 1e15
        ? LongNode.valueOf((long) d)
        : DoubleNode.valueOf(d);
  }
}
