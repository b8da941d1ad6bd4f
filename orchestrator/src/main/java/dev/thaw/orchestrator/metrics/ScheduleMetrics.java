package dev.thaw.orchestrator.metrics;

import dev.thaw.api.FiringOutcome;
import dev.thaw.api.ScheduleReport;
import dev.thaw.orchestrator.schedules.MorningReports;
import dev.thaw.orchestrator.schedules.ScheduleRepository;
import dev.thaw.orchestrator.sweeps.SweepEnded;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.quarkus.narayana.jta.QuarkusTransaction;
import io.quarkus.runtime.StartupEvent;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.enterprise.event.TransactionPhase;
import java.util.EnumMap;
import java.util.Map;
import org.jboss.logging.Logger;
import org.quartz.JobExecutionContext;
import org.quartz.SchedulerException;
import org.quartz.Trigger;
import org.quartz.listeners.TriggerListenerSupport;

/**
 * Schedules: firings by outcome, misfires (Quartz heard of a firing too late, e.g. after downtime),
 * and executions whose morning report flags a regression. All counters, 0 from the start.
 */
@ApplicationScoped
public class ScheduleMetrics {
  private static final Logger LOG = Logger.getLogger(ScheduleMetrics.class);

  private final Map<FiringOutcome, Counter> firings = new EnumMap<>(FiringOutcome.class);
  private final Counter misfires;
  private final Counter regressions;
  private final ScheduleRepository schedules;
  private final MorningReports reports;
  private final org.quartz.Scheduler quartz;

  ScheduleMetrics(
      MeterRegistry registry,
      ScheduleRepository schedules,
      MorningReports reports,
      org.quartz.Scheduler quartz) {
    this.schedules = schedules;
    this.reports = reports;
    this.quartz = quartz;
    for (FiringOutcome o : FiringOutcome.values()) {
      firings.put(
          o,
          Counter.builder("thaw.schedule.firings")
              .description(
                  "Schedule firings by outcome (a queued firing counts again when it settles)")
              .tag("outcome", o.key())
              .register(registry));
    }
    misfires =
        Counter.builder("thaw.schedule.misfires")
            .description("Schedule firings Quartz started late (misfired), e.g. after downtime")
            .register(registry);
    regressions =
        Counter.builder("thaw.schedule.regressions")
            .description("Scheduled executions whose morning report flags a regression")
            .register(registry);
  }

  /** A firing was recorded with {@code outcome}. */
  public void fired(FiringOutcome outcome) {
    firings.get(outcome).increment();
  }

  void onStart(@Observes StartupEvent event) {
    try {
      quartz
          .getListenerManager()
          .addTriggerListener(
              new TriggerListenerSupport() {
                @Override
                public String getName() {
                  return "thaw-misfire-metrics";
                }

                @Override
                public void triggerMisfired(Trigger trigger) {
                  misfires.increment();
                }

                @Override
                public boolean vetoJobExecution(Trigger trigger, JobExecutionContext context) {
                  return false;
                }
              });
    } catch (SchedulerException e) {
      LOG.warnf("metrics: schedule misfires are not counted: %s", e.getMessage());
    }
  }

  void onEnded(@Observes(during = TransactionPhase.AFTER_SUCCESS) SweepEnded ended) {
    try {
      boolean regression =
          QuarkusTransaction.requiringNew()
              .call(
                  () ->
                      schedules
                          .scheduleOf(ended.sweepId())
                          .flatMap(id -> schedules.find(id))
                          .map(
                              schedule -> {
                                int number =
                                    schedules
                                        .executionOf(ended.sweepId(), schedule.id())
                                        .orElseThrow()
                                        .number();
                                ScheduleReport report = reports.report(schedule, number);
                                return report.regression();
                              })
                          .orElse(false));
      if (regression) {
        regressions.increment();
      }
    } catch (RuntimeException e) {
      LOG.warnf("metrics: no regression check for sweep %s: %s", ended.sweepId(), e.getMessage());
    }
  }
}
