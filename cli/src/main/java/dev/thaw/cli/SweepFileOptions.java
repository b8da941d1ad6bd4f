package dev.thaw.cli;

import dev.thaw.model.SourceModelGroupCount;
import dev.thaw.sweep.SweepValidator;
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
      return new SweepValidator(SourceModelGroupCount.anywhere());
    }
    if (groups < 1) {
      throw new IllegalArgumentException("--groups must be >= 1 (got " + groups + ")");
    }
    return SweepValidator.withGroups(groups);
  }
}
