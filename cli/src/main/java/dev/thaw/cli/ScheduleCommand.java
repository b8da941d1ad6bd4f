package dev.thaw.cli;

import dev.thaw.api.FiringView;
import dev.thaw.api.ScheduleReport;
import dev.thaw.api.ScheduleView;
import dev.thaw.api.TrialView;
import java.io.PrintWriter;
import java.util.List;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/**
 * {@code thaw schedule list|pause|resume|trigger|report}: scheduled sweeps on the orchestrator. A
 * schedule is named by its sweep's name or its id. Scheduled sweep files are registered with {@code
 * thaw sweep submit FILE}.
 */
@Command(
    name = "schedule",
    mixinStandardHelpOptions = true,
    description = {
      "Scheduled sweeps on the orchestrator: list, pause, resume, trigger, report.",
      "Register a sweep file with a schedule with 'thaw sweep submit FILE'."
    },
    footer = {"", SweepCommand.TOKEN_HELP})
final class ScheduleCommand implements Runnable {
  @Option(
      names = "--orchestrator",
      paramLabel = "URL",
      scope = CommandLine.ScopeType.INHERIT,
      defaultValue = "${env:THAW_ORCHESTRATOR:-" + SweepCommand.DEFAULT_URL + "}",
      description = "The orchestrator (default: $THAW_ORCHESTRATOR, else http://localhost:8080).")
  String orchestrator;

  @CommandLine.Spec CommandLine.Model.CommandSpec spec;

  @Override
  public void run() {
    spec.commandLine().usage(spec.commandLine().getOut());
  }

  @Command(name = "list", mixinStandardHelpOptions = true, description = "List schedules.")
  int list() {
    List<ScheduleView> all = client().schedules();
    if (all.isEmpty()) {
      return print(List.of("no schedules; register one with 'thaw sweep submit FILE'"));
    }
    TextTable table =
        new TextTable(
            List.of("name", "cron", "time zone", "overlap", "state", "next", "runs", "last"), 6);
    for (ScheduleView s : all) {
      table.add(
          List.of(
              s.name(),
              s.cron(),
              s.timeZone(),
              s.overlap(),
              s.paused() ? "paused" : "active",
              s.nextFireAt() == null ? "-" : s.nextFireAt(),
              Integer.toString(s.executions()),
              s.lastFiring() == null ? "-" : firing(s.lastFiring())));
    }
    return print(table.lines());
  }

  @Command(name = "pause", mixinStandardHelpOptions = true, description = "Pause a schedule.")
  int pause(@Parameters(paramLabel = "SCHEDULE", description = "Sweep name or id.") String id) {
    ScheduleView s = client().pauseSchedule(id, true);
    return print(List.of("schedule " + s.name() + " paused"));
  }

  @Command(
      name = "resume",
      mixinStandardHelpOptions = true,
      description = "Resume a schedule (a firing missed while paused runs once now).")
  int resume(@Parameters(paramLabel = "SCHEDULE", description = "Sweep name or id.") String id) {
    ScheduleView s = client().pauseSchedule(id, false);
    return print(List.of("schedule " + s.name() + " resumed; next firing " + s.nextFireAt()));
  }

  @Command(
      name = "trigger",
      mixinStandardHelpOptions = true,
      description = "Fire a schedule now (its overlap policy applies).")
  int trigger(@Parameters(paramLabel = "SCHEDULE", description = "Sweep name or id.") String id) {
    FiringView f = client().trigger(id);
    return print(List.of(firing(f)));
  }

  @Command(
      name = "report",
      mixinStandardHelpOptions = true,
      description = {
        "The morning report of an execution: best configuration and objective against the",
        "previous execution's, and whether it regressed. Exit 3 on a regression."
      })
  int report(
      @Parameters(paramLabel = "SCHEDULE", description = "Sweep name or id.") String id,
      @Option(
              names = "--execution",
              paramLabel = "N",
              description = "Execution number (default: the latest).")
          Integer execution) {
    ScheduleReport r = client().report(id, execution);
    List<String> lines = new java.util.ArrayList<>();
    lines.add(r.summary());
    lines.add("execution #" + r.execution() + ": sweep " + r.sweepId() + " " + r.state().key());
    lines.add("best:     " + trial(r.best()));
    if (r.previousExecution() != null) {
      lines.add(
          "previous: " + trial(r.previousBest()) + " (execution #" + r.previousExecution() + ")");
    }
    for (TrialView w : r.warmStarts()) {
      lines.add("warm start: " + trial(w));
    }
    print(lines);
    return r.regression() ? 3 : 0;
  }

  private static String firing(FiringView f) {
    return f.outcome().key()
        + (f.execution() == null ? "" : " #" + f.execution())
        + (f.message() == null ? "" : ": " + f.message());
  }

  private static String trial(TrialView t) {
    if (t == null) {
      return "-";
    }
    return (t.objective() == null ? "-" : Values.format(t.objective()))
        + " (trial #"
        + t.number()
        + " "
        + t.state().key()
        + ", "
        + t.params()
        + ")";
  }

  private int print(List<String> lines) {
    PrintWriter out = spec.commandLine().getOut();
    lines.forEach(out::println);
    out.flush();
    return 0;
  }

  private OrchestratorClient client() {
    return new OrchestratorClient(orchestrator);
  }
}
