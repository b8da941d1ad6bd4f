package dev.thaw.orchestrator.schedules;

import dev.thaw.api.Objective;
import dev.thaw.api.ScheduleReport;
import dev.thaw.orchestrator.schedules.ScheduleRepository.ExecutionRef;
import dev.thaw.orchestrator.store.SweepRecord;
import dev.thaw.orchestrator.store.SweepRepository;
import dev.thaw.orchestrator.store.TrialRecord;
import dev.thaw.orchestrator.store.TrialRepository;
import dev.thaw.orchestrator.sweeps.Objectives;
import dev.thaw.orchestrator.sweeps.SweepViews;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.ws.rs.NotFoundException;
import java.util.List;
import java.util.Locale;

/**
 * The morning report of an execution: its best trial against the best of the previous execution
 * that has one, and a regression flag when the best objective got worse by more than the schedule's
 * threshold (in the objective's direction: lower for maximize, higher for minimize). Call inside a
 * transaction.
 */
@ApplicationScoped
public class MorningReports {
  private final ScheduleRepository schedules;
  private final SweepRepository sweeps;
  private final TrialRepository trials;

  MorningReports(ScheduleRepository schedules, SweepRepository sweeps, TrialRepository trials) {
    this.schedules = schedules;
    this.sweeps = sweeps;
    this.trials = trials;
  }

  /**
   * The report of one execution.
   *
   * @param execution its number, or null for the latest
   * @throws NotFoundException when the schedule has no such execution
   */
  public ScheduleReport report(ScheduleRecord schedule, Integer execution) {
    List<ExecutionRef> all = schedules.executions(schedule.id());
    ExecutionRef target =
        all.stream()
            .filter(e -> execution == null || e.number() == execution)
            .findFirst()
            .orElseThrow(
                () ->
                    new NotFoundException(
                        "schedule '"
                            + schedule.name()
                            + "' has "
                            + (execution == null
                                ? "no execution yet"
                                : "no execution #" + execution + " (it has " + all.size() + ")")));
    SweepRecord sweep = sweeps.find(target.sweepId()).orElseThrow();
    List<TrialRecord> own = trials.ofSweep(sweep.id());
    List<TrialRecord> ranked = SweepViews.ranked(sweep, own);
    TrialRecord best = ranked.isEmpty() ? null : ranked.get(0);
    ExecutionRef previous = null;
    TrialRecord previousBest = null;
    for (ExecutionRef e : all) {
      if (e.number() >= target.number()) {
        continue;
      }
      SweepRecord s = sweeps.find(e.sweepId()).orElseThrow();
      List<TrialRecord> r = SweepViews.ranked(s, trials.ofSweep(s.id()));
      if (!r.isEmpty()) {
        previous = e;
        previousBest = r.get(0);
        break;
      }
    }
    Double change = null;
    boolean regression = false;
    if (best != null && previousBest != null) {
      change = best.objective() - previousBest.objective();
      double drop =
          Objectives.oriented(previousBest.objective(), sweep.maximize())
              - Objectives.oriented(best.objective(), sweep.maximize());
      regression = drop > schedule.regressionThreshold();
    }
    Objective objective =
        new Objective(
            sweep.objectiveMetric(),
            sweep.maximize() ? "maximize" : "minimize",
            sweep.objectiveTarget());
    return new ScheduleReport(
        schedule.id(),
        schedule.name(),
        target.number(),
        sweep.id(),
        sweep.state(),
        objective,
        best == null ? null : SweepViews.trial(best),
        previous == null ? null : previous.number(),
        previous == null ? null : previous.sweepId(),
        previousBest == null ? null : SweepViews.trial(previousBest),
        change,
        regression,
        schedule.regressionThreshold(),
        own.stream().filter(t -> t.proposalIndex() < 0).map(SweepViews::trial).toList(),
        summary(
            schedule, target.number(), sweep, best, previous, previousBest, change, regression));
  }

  private static String summary(
      ScheduleRecord schedule,
      int number,
      SweepRecord sweep,
      TrialRecord best,
      ExecutionRef previous,
      TrialRecord previousBest,
      Double change,
      boolean regression) {
    StringBuilder b = new StringBuilder();
    b.append(schedule.name()).append(" #").append(number).append(" (").append(sweep.state().key());
    b.append("): ");
    if (best == null) {
      return b.append("no trial has a result yet").toString();
    }
    b.append("best ")
        .append(sweep.objectiveMetric())
        .append(' ')
        .append(format(best.objective()))
        .append(" (trial #")
        .append(best.number())
        .append(' ')
        .append(best.paramsJson())
        .append(')');
    if (previousBest == null) {
      return b.append("; no previous execution to compare with").toString();
    }
    b.append(" vs ")
        .append(format(previousBest.objective()))
        .append(" in #")
        .append(previous.number())
        .append(": ")
        .append(change >= 0 ? "+" : "")
        .append(format(change));
    if (regression) {
      b.append(", REGRESSION (worse by more than ")
          .append(format(schedule.regressionThreshold()))
          .append(')');
    }
    return b.toString();
  }

  private static String format(double v) {
    return String.format(Locale.ROOT, "%.4f", v);
  }
}
