package dev.thaw.cli;

import java.io.PrintWriter;
import java.time.Duration;
import picocli.CommandLine.Option;

/** The {@code --interval} option of the commands that follow a sweep with {@code --watch}. */
final class WatchInterval {
  @Option(
      names = "--interval",
      paramLabel = "SECONDS",
      defaultValue = "2",
      description = "With --watch: seconds between polls (default ${DEFAULT-VALUE}).")
  double seconds;

  /**
   * The interval, checked.
   *
   * @throws IllegalArgumentException when it is not a positive number of seconds
   */
  Duration interval() {
    return SweepWatch.interval(seconds);
  }

  /** A watcher that polls at {@code interval} and draws on {@code out}. */
  static SweepWatch watcher(OrchestratorClient client, Duration interval, PrintWriter out) {
    return new SweepWatch(client, interval, new LiveLine(out, LiveLine.isTerminal()));
  }
}
