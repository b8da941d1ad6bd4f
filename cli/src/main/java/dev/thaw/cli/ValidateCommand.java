package dev.thaw.cli;

import dev.thaw.sweep.SweepError;
import dev.thaw.sweep.SweepFiles;
import dev.thaw.sweep.SweepSpec;
import dev.thaw.sweep.SweepValidator;
import dev.thaw.sweep.space.Domain;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Parameters;

/**
 * {@code thaw validate FILE...}: checks sweep files and lists every error as {@code
 * file:line:column: path: message}; exit 0 when all are valid, 2 otherwise.
 */
@Command(
    name = "validate",
    mixinStandardHelpOptions = true,
    description = "Check sweep files; print every error with its place. Exit 0 if all are valid.")
final class ValidateCommand implements Callable<Integer> {
  static final int INVALID = 2;

  @Parameters(arity = "1..*", paramLabel = "FILE", description = "Sweep files (YAML).")
  List<Path> files;

  @Mixin SweepFileOptions options;

  @CommandLine.Spec CommandLine.Model.CommandSpec spec;

  @Override
  public Integer call() {
    SweepValidator validator = options.validator();
    PrintWriter out = spec.commandLine().getOut();
    boolean allValid = true;
    for (Path file : files) {
      List<SweepError> errors = SweepFiles.check(file, validator);
      if (errors.isEmpty()) {
        out.println(file + ": valid (" + summary(SweepFiles.load(file, validator)) + ")");
      } else {
        allValid = false;
        errors.forEach(e -> out.println(locate(file, e)));
        out.println(
            file
                + ": "
                + errors.size()
                + (errors.size() == 1 ? " error" : " errors")
                + ", invalid");
      }
    }
    out.flush();
    return allValid ? 0 : INVALID;
  }

  /** E.g. {@code grid, 6 trials, 2 searched parameters}. */
  static String summary(SweepSpec sweep) {
    long searched =
        sweep.searchSpace().dimensions().values().stream()
            .filter(d -> !(d instanceof Domain.Fixed))
            .count();
    return sweep.method().key()
        + ", "
        + sweep.maxTrials()
        + (sweep.maxTrials() == 1 ? " trial, " : " trials, ")
        + searched
        + (searched == 1 ? " searched parameter" : " searched parameters")
        + (sweep.schedule() == null ? "" : ", scheduled '" + sweep.schedule().cron() + "'");
  }

  /** {@code file:line:column: path: message}, the form editors and CI logs link to. */
  static String locate(Path file, SweepError e) {
    StringBuilder s = new StringBuilder(file.toString());
    if (e.line() != null) {
      s.append(':').append(e.line()).append(':').append(e.column());
    }
    s.append(": ");
    if (e.path() != null && !e.path().isEmpty()) {
      s.append(e.path()).append(": ");
    }
    return s.append(e.message()).toString();
  }
}
