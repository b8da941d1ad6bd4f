package dev.thaw.orchestrator.schedules;

import jakarta.enterprise.context.Dependent;
import org.quartz.DisallowConcurrentExecution;
import org.quartz.Job;
import org.quartz.JobExecutionContext;

/**
 * The Quartz job of a schedule: each firing hands over to {@link Firings}. Firings of one schedule
 * never overlap, across the whole cluster.
 */
@Dependent
@DisallowConcurrentExecution
public class ScheduledSweepJob implements Job {
  private final Firings firings;

  ScheduledSweepJob(Firings firings) {
    this.firings = firings;
  }

  @Override
  public void execute(JobExecutionContext context) {
    String scheduleId = context.getJobDetail().getKey().getName();
    String queued = context.getTrigger().getJobDataMap().getString(ScheduleTriggers.FIRING_ID);
    if (queued != null) {
      firings.recheck(scheduleId, queued);
    } else {
      firings.fire(scheduleId, context.getScheduledFireTime().getTime());
    }
  }
}
