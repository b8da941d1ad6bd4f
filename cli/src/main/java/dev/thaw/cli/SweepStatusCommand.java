package dev.thaw.cli;

import dev.thaw.api.SweepSummary;
import java.io.PrintWriter;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.ParentCommand;

/**
 * {@code thaw sweep status [ID] [--watch]}: every sweep as a table, or one sweep with its trials;
 * {@code --watch} shows a live progress line until the sweep ends.
 */
@Command(
    name = "status",
    mixinStandardHelpOptions = true,
    description = {
      "Without ID: every sweep, newest first. With ID (or the start of one): the sweep's state,"
          + " counts, best trial and a table of its trials.",
      "--watch follows the sweep with a progress line until it ends; exit 0 if it completed,"
          + " 1 if it failed or was cancelled."
    })
final class SweepStatusCommand implements Callable<Integer> {
  @Parameters(
      arity = "0..1",
      paramLabel = "ID",
      description = "A sweep id, or enough of its start to be unique.")
  String id;

  @Option(names = "--watch", description = "Follow the sweep until it ends.")
  boolean watch;

  @Mixin WatchInterval watchInterval;

  @ParentCommand SweepCommand parent;

  @CommandLine.Spec CommandLine.Model.CommandSpec spec;

  @Override
  public Integer call() throws Exception {
    PrintWriter out = spec.commandLine().getOut();
    var interval = watchInterval.interval();
    OrchestratorClient client = parent.client();
    if (id == null) {
      if (watch) {
        throw new IllegalArgumentException(
            "--watch needs a sweep ID: thaw sweep status ID --watch");
      }
      SweepTables.sweeps(client.list()).forEach(out::println);
      out.flush();
      return 0;
    }
    String sweepId = client.resolve(id);
    if (!watch) {
      SweepTables.detail(client.detail(sweepId)).forEach(out::println);
      out.flush();
      return 0;
    }
    SweepSummary ended = WatchInterval.watcher(client, interval, out).follow(sweepId);
    SweepTables.detail(client.detail(sweepId)).forEach(out::println);
    out.flush();
    return SweepWatch.exitCode(ended);
  }
}
