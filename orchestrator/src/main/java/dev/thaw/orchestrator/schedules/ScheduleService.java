package dev.thaw.orchestrator.schedules;

import dev.thaw.orchestrator.mlflow.TrackingServers;
import dev.thaw.orchestrator.sweeps.SourceGroups;
import dev.thaw.sweep.InvalidSweepException;
import dev.thaw.sweep.SweepError;
import dev.thaw.sweep.SweepLoader;
import dev.thaw.sweep.SweepSpec;
import io.quarkus.narayana.jta.QuarkusTransaction;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.ws.rs.NotFoundException;
import java.util.ArrayList;
import java.util.Date;
import java.util.List;
import java.util.Optional;
import java.util.UUID;
import org.jboss.logging.Logger;
import org.quartz.ObjectAlreadyExistsException;
import org.quartz.Scheduler;
import org.quartz.SchedulerException;
import org.quartz.Trigger;

/**
 * Registers scheduled sweep files as persistent Quartz jobs (one schedule per sweep name,
 * idempotent: the same file again changes nothing, a changed file replaces the settings and, when
 * the cron or time zone changed, the trigger), and pauses and resumes them.
 */
@ApplicationScoped
public class ScheduleService {
  private static final Logger LOG = Logger.getLogger(ScheduleService.class);

  private final ScheduleRepository schedules;
  private final SourceGroups sourceGroups;
  private final TrackingServers trackingServers;
  private final Scheduler quartz;

  ScheduleService(
      ScheduleRepository schedules,
      SourceGroups sourceGroups,
      TrackingServers trackingServers,
      Scheduler quartz) {
    this.trackingServers = trackingServers;
    this.schedules = schedules;
    this.sourceGroups = sourceGroups;
    this.quartz = quartz;
  }

  /** Whether a sweep file has a {@code schedule} (false for files that do not parse). */
  public static boolean isScheduled(String yaml) {
    SweepSpec spec = SweepLoader.load(yaml).spec();
    return spec != null && spec.schedule() != null;
  }

  /**
   * Validates a scheduled sweep file and registers (or updates) its schedule.
   *
   * @throws InvalidSweepException with every error (an invalid cron or time zone among them, with
   *     its line and column), or when the file has no {@code schedule}; nothing is registered then
   */
  public ScheduleRecord register(String yaml, String origin) {
    SweepLoader.Loaded loaded = SweepLoader.load(yaml);
    List<SweepError> errors = new ArrayList<>(sourceGroups.validator().validate(loaded));
    errors.addAll(trackingServers.check(loaded));
    if (!errors.isEmpty()) {
      throw new InvalidSweepException(origin, errors);
    }
    SweepSpec spec = loaded.spec();
    if (spec.schedule() == null) {
      throw new InvalidSweepException(
          origin,
          List.of(
              loaded.locate(
                  SweepError.at(
                      "schedule",
                      "required to register a schedule, e.g. schedule: {cron: \"0 0 2 * * ?\","
                          + " time_zone: Europe/Berlin}"))));
    }
    SweepSpec.Schedule s = spec.schedule();
    long now = System.currentTimeMillis();
    ScheduleRecord record =
        QuarkusTransaction.requiringNew()
            .call(
                () -> {
                  Optional<ScheduleRecord> existing = schedules.findByName(spec.name());
                  if (existing.isPresent() && existing.get().specYaml().equals(yaml)) {
                    return existing.get();
                  }
                  ScheduleRecord r =
                      new ScheduleRecord(
                          existing.map(ScheduleRecord::id).orElse(UUID.randomUUID().toString()),
                          spec.name(),
                          s.cron(),
                          s.timeZone(),
                          s.overlap(),
                          s.warmStart(),
                          s.regressionThreshold(),
                          yaml,
                          origin,
                          existing.map(ScheduleRecord::paused).orElse(false),
                          existing.map(ScheduleRecord::createdAt).orElse(now),
                          now);
                  if (existing.isPresent()) {
                    schedules.update(r);
                    LOG.infof(
                        "schedule '%s' updated from %s: cron '%s' %s",
                        r.name(), origin, r.cron(), r.timeZone());
                  } else {
                    schedules.insert(r);
                    LOG.infof(
                        "schedule '%s' registered from %s: cron '%s' %s",
                        r.name(), origin, r.cron(), r.timeZone());
                  }
                  return r;
                });
    ensureScheduled(record);
    return record;
  }

  /**
   * Makes sure the schedule's Quartz job and cron trigger exist and fire by its cron (a trigger
   * that already does is left alone, so its next firing and misfire state stay).
   */
  public void ensureScheduled(ScheduleRecord s) {
    try {
      if (!quartz.checkExists(ScheduleTriggers.jobKey(s.id()))) {
        try {
          quartz.addJob(ScheduleTriggers.job(s.id(), s.name(), ScheduledSweepJob.class), false);
        } catch (ObjectAlreadyExistsException raced) {
          // another replica added it first
        }
      }
      Trigger existing = quartz.getTrigger(ScheduleTriggers.cronKey(s.id()));
      if (existing == null) {
        try {
          quartz.scheduleJob(ScheduleTriggers.cron(s.id(), s.cron(), s.timeZone()));
        } catch (ObjectAlreadyExistsException raced) {
          // another replica scheduled it first
        }
      } else if (!ScheduleTriggers.same(existing, s.cron(), s.timeZone())) {
        quartz.rescheduleJob(
            existing.getKey(), ScheduleTriggers.cron(s.id(), s.cron(), s.timeZone()));
      }
      if (s.paused()) {
        quartz.pauseJob(ScheduleTriggers.jobKey(s.id()));
      }
    } catch (SchedulerException e) {
      throw new IllegalStateException(
          "schedule '"
              + s.name()
              + "' is stored but Quartz could not schedule it: "
              + e.getMessage(),
          e);
    }
  }

  /** Pauses (true) or resumes (false) a schedule's firings. */
  public ScheduleRecord setPaused(String idOrName, boolean paused) {
    ScheduleRecord s = find(idOrName);
    QuarkusTransaction.requiringNew().run(() -> schedules.setPaused(s.id(), paused));
    try {
      if (paused) {
        quartz.pauseJob(ScheduleTriggers.jobKey(s.id()));
      } else {
        quartz.resumeJob(ScheduleTriggers.jobKey(s.id()));
      }
    } catch (SchedulerException e) {
      throw new IllegalStateException(
          "could not "
              + (paused ? "pause" : "resume")
              + " schedule '"
              + s.name()
              + "': "
              + e.getMessage(),
          e);
    }
    LOG.infof("schedule '%s' %s", s.name(), paused ? "paused" : "resumed");
    return find(s.id());
  }

  /** A schedule by id or sweep name. */
  public ScheduleRecord find(String idOrName) {
    return QuarkusTransaction.requiringNew()
        .call(() -> schedules.find(idOrName).or(() -> schedules.findByName(idOrName)))
        .orElseThrow(() -> new NotFoundException("no schedule with id or name '" + idOrName + "'"));
  }

  /** Every schedule, by name. */
  public List<ScheduleRecord> all() {
    return QuarkusTransaction.requiringNew().call(schedules::all);
  }

  /** The schedule's next firing, or null when it is paused or has none left. */
  public Date nextFireTime(ScheduleRecord s) {
    if (s.paused()) {
      return null;
    }
    try {
      Trigger t = quartz.getTrigger(ScheduleTriggers.cronKey(s.id()));
      return t == null ? null : t.getNextFireTime();
    } catch (SchedulerException e) {
      return null;
    }
  }
}
