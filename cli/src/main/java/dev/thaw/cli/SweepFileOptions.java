package dev.thaw.cli;

import dev.thaw.inputs.InputPolicy;
import dev.thaw.model.SourceModelGroupCount;
import dev.thaw.sweep.SweepValidator;
import dev.thaw.task.InputAdmission;
import java.util.List;
import java.util.Optional;
import picocli.CommandLine.Option;

/** Options shared by the commands that read sweep files. */
final class SweepFileOptions {
  @Option(
      names = "--groups",
      paramLabel = "N",
      description =
          "Assume the source model has N layer groups instead of reading it (to check a file"
              + " before the model exists).")
  Integer groups;

  SweepValidator validator() {
    if (groups == null) {
      return new SweepValidator(SourceModelGroupCount.anywhere(), LOCAL);
    }
    if (groups < 1) {
      throw new IllegalArgumentException("--groups must be >= 1 (got " + groups + ")");
    }
    return SweepValidator.withGroups(groups, LOCAL);
  }

  /**
   * A user's own check: every path as given, and a csv:/jsonl: table's columns read from the file,
   * so a missing text or label column shows before the sweep is submitted.
   */
  private static final InputAdmission LOCAL =
      new InputAdmission() {
        @Override
        public void admitSourceModel(String field, String sourceModel) {}

        @Override
        public void admitDataset(String field, String dataset) {}

        @Override
        public Optional<List<String>> tableColumns(String field, String dataset) {
          return InputPolicy.unrestricted().tableColumns(field, dataset);
        }
      };
}
