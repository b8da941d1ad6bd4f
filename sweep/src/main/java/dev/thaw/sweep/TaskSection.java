package dev.thaw.sweep;

import static dev.thaw.sweep.PositionedYaml.join;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.thaw.task.DatasetException;
import dev.thaw.task.GroupCount;
import dev.thaw.task.InputAdmission;
import dev.thaw.task.InputRefusedException;
import dev.thaw.task.ModelLoadException;
import dev.thaw.trial.TargetSpec;
import java.util.List;
import java.util.OptionalInt;

/**
 * The {@code task} section: the source model and the target data. Checking it reads what the
 * parameters are checked against (the backbone's layer groups, its smallest input size), and
 * refuses data and models the input policy does not admit.
 */
final class TaskSection {
  static final String SOURCE_MODEL = "task.source_model";
  private static final String DATASET = "task.target.dataset";

  private TaskSection() {}

  /** What the source model tells the parameter checks; empty when it cannot be known. */
  record Backbone(OptionalInt groups, OptionalInt minInputSize) {
    static final Backbone UNKNOWN = new Backbone(OptionalInt.empty(), OptionalInt.empty());
  }

  /** The task, or null when absent or not a mapping. */
  static SweepSpec.Task read(Fields r, ObjectNode root) {
    ObjectNode o = r.object(root, "", "task");
    if (o == null) {
      if (!Fields.present(root, "task")) {
        r.error(
            "task",
            "required: the source model and target data, e.g."
                + " task: {source_model: pretrained:NAME, target: {dataset: mnist}}");
      }
      return null;
    }
    r.unknownKeys(o, "task", List.of("source_model", "target"));
    String source = r.text(o, "task", "source_model");
    if (source == null && !Fields.present(o, "source_model")) {
      r.error(SOURCE_MODEL, "required, e.g. pretrained:thaw-cnn-fashion-mnist-0-4");
    }
    ObjectNode t = r.object(o, "task", "target");
    TargetSpec target = null;
    if (t == null) {
      if (!Fields.present(o, "target")) {
        r.error("task.target", "required, e.g. target: {dataset: mnist}");
      }
    } else {
      String p = "task.target";
      r.unknownKeys(
          t,
          p,
          List.of(
              "dataset",
              "validation_fraction",
              "labels_per_class",
              "data_fraction",
              "max_length",
              "text_column",
              "label_column"));
      String dataset = r.text(t, p, "dataset");
      if (dataset == null && !Fields.present(t, "dataset")) {
        r.error(
            join(p, "dataset"), "required, e.g. mnist, fashion-mnist[0-4] or folder:/data/pets");
      }
      target =
          new TargetSpec(
              dataset,
              r.number(t, p, "validation_fraction"),
              r.integer(t, p, "labels_per_class"),
              r.number(t, p, "data_fraction"),
              null,
              r.integer(t, p, "max_length"),
              r.text(t, p, "text_column"),
              r.text(t, p, "label_column"));
    }
    return new SweepSpec.Task(source, target);
  }

  /** Checks the task; what its source model says about the backbone, as far as it is known. */
  static Backbone check(
      SweepSpec.Task task, GroupCount groupCount, InputAdmission inputs, Checks c) {
    if (task == null) {
      return Backbone.UNKNOWN;
    }
    OptionalInt groups = OptionalInt.empty();
    OptionalInt minInputSize = OptionalInt.empty();
    if (task.sourceModel() != null && admitted(task.sourceModel(), inputs, c)) {
      try {
        groups = groupCount.of(task.sourceModel());
        minInputSize = groupCount.minInputSize(task.sourceModel());
      } catch (ModelLoadException e) {
        c.add(
            SOURCE_MODEL,
            "cannot read source model '"
                + task.sourceModel()
                + "': "
                + e.getMessage()
                + " (freeze_depth is then checked only for >= 0)");
      }
    }
    TargetSpec t = task.target();
    if (t != null && t.dataset() != null) {
      try {
        inputs.admitDataset(DATASET, t.dataset());
        inputs.tableColumns(DATASET, t.dataset()).ifPresent(columns -> checkColumns(t, columns, c));
      } catch (InputRefusedException e) {
        c.add(e.field(), e.reason());
      } catch (DatasetException e) {
        c.add(DATASET, e.getMessage());
      }
    }
    if (t != null) {
      double vf = t.validationFraction();
      if (!(vf > 0 && vf < 1)) {
        c.add(
            "task.target.validation_fraction", "must be in (0, 1) (got " + Shown.number(vf) + ")");
      }
      double df = t.dataFraction();
      if (!(df > 0 && df <= 1)) {
        c.add("task.target.data_fraction", "must be in (0, 1] (got " + Shown.number(df) + ")");
      }
      if (t.labelsPerClass() != null) {
        c.atLeast("task.target.labels_per_class", t.labelsPerClass(), 1);
      }
      if (t.maxLength() != null) {
        c.atLeast("task.target.max_length", t.maxLength(), 3);
      }
      boolean table =
          t.dataset() != null
              && (t.dataset().startsWith("csv:") || t.dataset().startsWith("jsonl:"));
      if (!table && t.textColumn() != null) {
        c.add("task.target.text_column", "only for csv: and jsonl: datasets");
      }
      if (!table && t.labelColumn() != null) {
        c.add("task.target.label_column", "only for csv: and jsonl: datasets");
      }
    }
    return new Backbone(groups, minInputSize);
  }

  /** The table's text and label columns must be among its columns. */
  private static void checkColumns(TargetSpec t, List<String> columns, Checks c) {
    checkColumn(t, "text_column", t.textColumnOrDefault(), t.textColumn() == null, columns, c);
    checkColumn(t, "label_column", t.labelColumnOrDefault(), t.labelColumn() == null, columns, c);
  }

  private static void checkColumn(
      TargetSpec t, String key, String name, boolean byDefault, List<String> columns, Checks c) {
    if (!columns.contains(name)) {
      c.add(
          "task.target." + key,
          "'"
              + t.dataset()
              + "' has no column '"
              + name
              + "'"
              + (byDefault ? " (the default; name yours with " + key + ")" : "")
              + "; its columns: "
              + String.join(", ", columns));
    }
  }

  /** Whether the policy admits the source model; a refusal is reported, and nothing is read. */
  private static boolean admitted(String sourceModel, InputAdmission inputs, Checks c) {
    try {
      inputs.admitSourceModel(SOURCE_MODEL, sourceModel);
      return true;
    } catch (InputRefusedException e) {
      c.add(e.field(), e.reason());
      return false;
    } catch (RuntimeException e) {
      return true; // not a reference: the group count reports it
    }
  }
}
