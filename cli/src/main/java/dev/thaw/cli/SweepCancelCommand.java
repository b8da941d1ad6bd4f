package dev.thaw.cli;

import dev.thaw.api.SweepSummary;
import java.io.PrintWriter;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.ParentCommand;

/** {@code thaw sweep cancel ID}: cancels a sweep and prints where it stands. */
@Command(
    name = "cancel",
    mixinStandardHelpOptions = true,
    description = {
      "Cancel a sweep: queued trials are cancelled, running ones stop at their next heartbeat.",
      "Cancelling an ended sweep changes nothing."
    })
final class SweepCancelCommand implements Callable<Integer> {
  @Parameters(paramLabel = "ID", description = "A sweep id, or enough of its start to be unique.")
  String id;

  @ParentCommand SweepCommand parent;

  @CommandLine.Spec CommandLine.Model.CommandSpec spec;

  @Override
  public Integer call() {
    OrchestratorClient client = parent.client();
    SweepSummary s = client.cancel(client.resolve(id));
    PrintWriter out = spec.commandLine().getOut();
    out.println("sweep " + s.id());
    out.println(SweepTables.oneLine(s));
    out.flush();
    return 0;
  }
}
