package dev.thaw.cli;

import dev.thaw.api.ScheduleView;
import dev.thaw.api.SweepSummary;
import dev.thaw.sweep.SweepError;
import dev.thaw.sweep.SweepFiles;
import dev.thaw.sweep.SweepLoader;
import dev.thaw.sweep.SweepSpec;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.function.Supplier;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.ParentCommand;

/**
 * {@code thaw sweep submit FILE [--watch]}: validates a sweep file here, sends it to the
 * orchestrator and prints the new sweep's id. Exit 2 when the file is invalid (here or there); with
 * {@code --watch}, 0 when the sweep completed and 1 when it failed or was cancelled.
 */
@Command(
    name = "submit",
    mixinStandardHelpOptions = true,
    description = "Validate a sweep file, send it to the orchestrator, print the sweep's id.")
final class SweepSubmitCommand implements Callable<Integer> {
  static final int LEADERBOARD_SIZE = 10;

  @Parameters(paramLabel = "FILE", description = "Sweep file (YAML).")
  Path file;

  @Option(
      names = "--watch",
      description =
          "Follow the sweep until it ends, then print its leaderboard; exit 0 if it completed,"
              + " 1 if it failed or was cancelled.")
  boolean watch;

  @Option(
      names = "--no-validate",
      description = "Send the file without validating it here first (the orchestrator still does).")
  boolean noValidate;

  @Mixin WatchInterval watchInterval;

  @Mixin SweepFileOptions options;

  @ParentCommand SweepCommand parent;

  @CommandLine.Spec CommandLine.Model.CommandSpec spec;

  @Override
  public Integer call() throws Exception {
    PrintWriter out = spec.commandLine().getOut();
    var interval = watchInterval.interval();
    OrchestratorClient client = parent.client();
    if (!noValidate) {
      List<SweepError> errors = SweepFiles.check(file, options.validator());
      if (!errors.isEmpty()) {
        errors.forEach(e -> out.println(ValidateCommand.locate(file, e)));
        out.println(
            file
                + ": "
                + errors.size()
                + (errors.size() == 1 ? " error" : " errors")
                + ", invalid; nothing sent");
        out.flush();
        return ValidateCommand.INVALID;
      }
    }
    String yaml = read(file);
    SweepSpec parsed = SweepLoader.load(yaml).spec();
    if (parsed != null && parsed.schedule() != null) {
      return register(client, yaml, out);
    }
    SweepSummary sweep =
        unlessRefused(client, () -> client.submit(yaml, file.getFileName().toString()), out);
    if (sweep == null) {
      return ValidateCommand.INVALID;
    }
    out.println("submitted sweep " + sweep.id() + " to " + client.base());
    out.println(SweepTables.oneLine(sweep));
    out.flush();
    if (!watch) {
      return 0;
    }
    SweepSummary ended = WatchInterval.watcher(client, interval, out).follow(sweep.id());
    SweepTables.leaderboard(client.leaderboard(sweep.id(), LEADERBOARD_SIZE)).forEach(out::println);
    out.flush();
    return SweepWatch.exitCode(ended);
  }

  /** Sends the file; when the orchestrator refuses it (400) prints its errors and returns null. */
  private <T> T unlessRefused(OrchestratorClient client, Supplier<T> send, PrintWriter out) {
    try {
      return send.get();
    } catch (OrchestratorException e) {
      if (e.status() != 400) {
        throw e;
      }
      out.println(file + ": refused by the orchestrator at " + client.base() + ":");
      out.println(e.getMessage());
      out.flush();
      return null;
    }
  }

  /** A file with a schedule is registered as a schedule; each firing then starts a sweep. */
  private int register(OrchestratorClient client, String yaml, PrintWriter out) {
    ScheduleView s =
        unlessRefused(client, () -> client.register(yaml, file.getFileName().toString()), out);
    if (s == null) {
      return ValidateCommand.INVALID;
    }
    out.println(
        "registered schedule "
            + s.name()
            + " ("
            + s.id()
            + ") at "
            + client.base()
            + ": cron '"
            + s.cron()
            + "' "
            + s.timeZone()
            + ", next firing "
            + (s.nextFireAt() == null ? "none (paused)" : s.nextFireAt())
            + "; each firing starts a sweep (thaw schedule list|trigger|report)");
    out.flush();
    return 0;
  }

  private static String read(Path file) throws IOException {
    try {
      return Files.readString(file, StandardCharsets.UTF_8);
    } catch (NoSuchFileException e) {
      throw new IllegalArgumentException("no such sweep file: " + file, e);
    }
  }
}
