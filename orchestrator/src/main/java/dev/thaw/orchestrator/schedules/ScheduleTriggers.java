package dev.thaw.orchestrator.schedules;

import java.time.ZoneId;
import java.util.Date;
import java.util.TimeZone;
import org.quartz.CronScheduleBuilder;
import org.quartz.CronTrigger;
import org.quartz.Job;
import org.quartz.JobBuilder;
import org.quartz.JobDetail;
import org.quartz.JobKey;
import org.quartz.SimpleScheduleBuilder;
import org.quartz.Trigger;
import org.quartz.TriggerBuilder;
import org.quartz.TriggerKey;

/**
 * The Quartz job and triggers of a schedule. The job is named by the schedule's id; its cron
 * trigger misfires as "fire once now": after downtime that skipped one or many firings, the
 * schedule runs once, then keeps to its cron.
 */
public final class ScheduleTriggers {
  /** Group of schedule jobs and their cron triggers. */
  public static final String GROUP = "thaw-schedules";

  /** Group of the one-shot triggers that re-check a queued firing. */
  public static final String QUEUED_GROUP = "thaw-queued-firings";

  /** Job data key of a queued firing's id (on its re-check trigger). */
  public static final String FIRING_ID = "firing_id";

  private ScheduleTriggers() {}

  public static JobKey jobKey(String scheduleId) {
    return JobKey.jobKey(scheduleId, GROUP);
  }

  public static TriggerKey cronKey(String scheduleId) {
    return TriggerKey.triggerKey(scheduleId, GROUP);
  }

  /** The schedule's durable job (it stays while no trigger points at it). */
  public static JobDetail job(String scheduleId, String name, Class<? extends Job> jobClass) {
    return JobBuilder.newJob(jobClass)
        .withIdentity(jobKey(scheduleId))
        .withDescription("scheduled sweep " + name)
        .storeDurably()
        .build();
  }

  /**
   * The schedule's cron trigger.
   *
   * @param cron a valid Quartz cron expression
   * @param timeZone a valid IANA time-zone id
   */
  public static CronTrigger cron(String scheduleId, String cron, String timeZone) {
    return TriggerBuilder.newTrigger()
        .withIdentity(cronKey(scheduleId))
        .forJob(jobKey(scheduleId))
        .withSchedule(
            CronScheduleBuilder.cronSchedule(cron)
                .inTimeZone(TimeZone.getTimeZone(ZoneId.of(timeZone)))
                .withMisfireHandlingInstructionFireAndProceed())
        .build();
  }

  /** Whether a stored cron trigger already fires by {@code cron} in {@code timeZone}. */
  public static boolean same(Trigger existing, String cron, String timeZone) {
    return existing instanceof CronTrigger c
        && c.getCronExpression().equals(cron)
        && c.getTimeZone().getID().equals(TimeZone.getTimeZone(ZoneId.of(timeZone)).getID());
  }

  /** A one-shot trigger that re-checks a queued firing at {@code at}. */
  public static Trigger queuedCheck(String scheduleId, String firingId, Date at) {
    return TriggerBuilder.newTrigger()
        .withIdentity(TriggerKey.triggerKey(firingId + "@" + at.getTime(), QUEUED_GROUP))
        .forJob(jobKey(scheduleId))
        .usingJobData(FIRING_ID, firingId)
        .startAt(at)
        .withSchedule(
            SimpleScheduleBuilder.simpleSchedule().withMisfireHandlingInstructionFireNow())
        .build();
  }
}
