package dev.thaw.orchestrator.schedules;

import dev.thaw.api.ScheduleReport;
import dev.thaw.orchestrator.mlflow.SweepRuns;
import dev.thaw.orchestrator.store.SweepRecord;
import dev.thaw.orchestrator.store.SweepRepository;
import dev.thaw.orchestrator.sweeps.SweepEnded;
import dev.thaw.orchestrator.sweeps.SweepService;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import java.util.LinkedHashMap;
import java.util.Map;
import org.jboss.logging.Logger;

/**
 * When an execution of a schedule ends, puts its morning report on its MLflow parent run: tags
 * {@code thaw.regression}, {@code thaw.best_objective}, {@code thaw.previous_best_objective},
 * {@code thaw.objective_change}, and the summary as the run's description ({@code
 * mlflow.note.content}). Never fails the sweep's end.
 */
@ApplicationScoped
public class ReportTracking {
  private static final Logger LOG = Logger.getLogger(ReportTracking.class);

  private final ScheduleRepository schedules;
  private final SweepRepository sweeps;
  private final MorningReports reports;
  private final SweepRuns sweepRuns;
  private final SweepService sweepService;

  ReportTracking(
      ScheduleRepository schedules,
      SweepRepository sweeps,
      MorningReports reports,
      SweepRuns sweepRuns,
      SweepService sweepService) {
    this.schedules = schedules;
    this.sweeps = sweeps;
    this.reports = reports;
    this.sweepRuns = sweepRuns;
    this.sweepService = sweepService;
  }

  void onEnded(@Observes SweepEnded ended) {
    try {
      String scheduleId = schedules.scheduleOf(ended.sweepId()).orElse(null);
      if (scheduleId == null) {
        return;
      }
      SweepRecord sweep = sweeps.find(ended.sweepId()).orElseThrow();
      if (sweepRuns.trackingUri(sweepService.spec(sweep)).isEmpty()) {
        return;
      }
      ScheduleRecord schedule = schedules.find(scheduleId).orElseThrow();
      int number = schedules.executionOf(sweep.id(), scheduleId).orElseThrow().number();
      ScheduleReport report = reports.report(schedule, number);
      sweepRuns.tag(sweep, sweepService.spec(sweep), tags(report));
    } catch (RuntimeException e) {
      LOG.warnf(e, "no morning report on the MLflow run of sweep %s", ended.sweepId());
    }
  }

  static Map<String, String> tags(ScheduleReport report) {
    Map<String, String> tags = new LinkedHashMap<>();
    tags.put("thaw.regression", Boolean.toString(report.regression()));
    if (report.best() != null) {
      tags.put("thaw.best_objective", Double.toString(report.best().objective()));
    }
    if (report.previousBest() != null) {
      tags.put("thaw.previous_best_objective", Double.toString(report.previousBest().objective()));
      tags.put("thaw.previous_execution", Integer.toString(report.previousExecution()));
    }
    if (report.change() != null) {
      tags.put("thaw.objective_change", Double.toString(report.change()));
    }
    tags.put("mlflow.note.content", report.summary());
    return tags;
  }
}
