package dev.thaw.cli;

import java.io.PrintWriter;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.ParentCommand;

/** {@code thaw sweep leaderboard ID [--limit N]}: a sweep's trials ranked by the objective. */
@Command(
    name = "leaderboard",
    mixinStandardHelpOptions = true,
    description = "A sweep's trials ranked by its objective, best first.")
final class SweepLeaderboardCommand implements Callable<Integer> {
  @Parameters(paramLabel = "ID", description = "A sweep id, or enough of its start to be unique.")
  String id;

  @Option(
      names = "--limit",
      paramLabel = "N",
      defaultValue = "10",
      description = "Show the best N trials (default ${DEFAULT-VALUE}).")
  int limit;

  @ParentCommand SweepCommand parent;

  @CommandLine.Spec CommandLine.Model.CommandSpec spec;

  @Override
  public Integer call() {
    if (limit < 1) {
      throw new IllegalArgumentException("--limit must be >= 1 (got " + limit + ")");
    }
    OrchestratorClient client = parent.client();
    PrintWriter out = spec.commandLine().getOut();
    SweepTables.leaderboard(client.leaderboard(client.resolve(id), limit)).forEach(out::println);
    out.flush();
    return 0;
  }
}
