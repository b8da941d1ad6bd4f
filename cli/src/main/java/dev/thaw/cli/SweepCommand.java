package dev.thaw.cli;

import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.ScopeType;

/**
 * {@code thaw sweep}: the commands that talk to the orchestrator (submit, status, leaderboard,
 * cancel). Their shared {@code --orchestrator URL} defaults to {@code $THAW_ORCHESTRATOR}, else
 * {@code http://localhost:8080}.
 */
@Command(
    name = "sweep",
    mixinStandardHelpOptions = true,
    description = "Submit sweeps to the orchestrator and follow them.",
    footer = {"", SweepCommand.TOKEN_HELP},
    subcommands = {
      SweepSubmitCommand.class,
      SweepStatusCommand.class,
      SweepLeaderboardCommand.class,
      SweepCancelCommand.class
    })
final class SweepCommand implements Runnable {
  static final String DEFAULT_URL = "http://localhost:8080";

  /** How the API token is found (help footer of the commands that call the user API). */
  static final String TOKEN_HELP =
      "Token: sends $THAW_API_TOKEN, else the API token a local orchestrator generated"
          + " ($THAW_CACHE/orchestrator/api-token), the latter to localhost URLs only.";

  @Option(
      names = "--orchestrator",
      paramLabel = "URL",
      scope = ScopeType.INHERIT,
      defaultValue = "${env:THAW_ORCHESTRATOR:-" + DEFAULT_URL + "}",
      description =
          "The orchestrator (default: $THAW_ORCHESTRATOR, else "
              + DEFAULT_URL
              + "; now ${DEFAULT-VALUE}).")
  String orchestrator;

  @CommandLine.Spec CommandLine.Model.CommandSpec spec;

  @Override
  public void run() {
    spec.commandLine().usage(spec.commandLine().getOut());
  }

  OrchestratorClient client() {
    return new OrchestratorClient(orchestrator);
  }
}
