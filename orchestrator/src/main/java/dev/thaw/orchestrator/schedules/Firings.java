package dev.thaw.orchestrator.schedules;

import dev.thaw.api.FiringOutcome;
import dev.thaw.api.SweepState;
import dev.thaw.api.TrialState;
import dev.thaw.orchestrator.metrics.ScheduleMetrics;
import dev.thaw.orchestrator.schedules.ScheduleRepository.ExecutionRef;
import dev.thaw.orchestrator.store.SweepRecord;
import dev.thaw.orchestrator.store.SweepRepository;
import dev.thaw.orchestrator.store.TrialRecord;
import dev.thaw.orchestrator.store.TrialRepository;
import dev.thaw.orchestrator.sweeps.Objectives;
import dev.thaw.orchestrator.sweeps.SweepService;
import dev.thaw.orchestrator.sweeps.SweepService.Execution;
import dev.thaw.orchestrator.sweeps.SweepService.WarmStart;
import dev.thaw.sweep.SweepLoader;
import dev.thaw.sweep.SweepSpec;
import dev.thaw.sweep.space.Point;
import dev.thaw.trial.TrialSpec;
import io.quarkus.narayana.jta.QuarkusTransaction;
import jakarta.enterprise.context.ApplicationScoped;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.Date;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;
import org.jboss.logging.Logger;
import org.quartz.Scheduler;
import org.quartz.SchedulerException;

/**
 * What a schedule's firing does: start a new execution of the sweep (warm-started from the previous
 * execution's best configurations), or, while the previous execution still runs, follow the
 * schedule's overlap policy (skip, queue, or cancel the old one). Every firing is recorded.
 */
@ApplicationScoped
public class Firings {
  private static final Logger LOG = Logger.getLogger(Firings.class);

  private final ScheduleRepository schedules;
  private final FiringRepository firings;
  private final SweepRepository sweeps;
  private final TrialRepository trials;
  private final SweepService sweepService;
  private final Scheduler quartz;
  private final ScheduleSettings settings;
  private final ScheduleMetrics metrics;

  Firings(
      ScheduleRepository schedules,
      FiringRepository firings,
      SweepRepository sweeps,
      TrialRepository trials,
      SweepService sweepService,
      Scheduler quartz,
      ScheduleSettings settings,
      ScheduleMetrics metrics) {
    this.metrics = metrics;
    this.schedules = schedules;
    this.firings = firings;
    this.sweeps = sweeps;
    this.trials = trials;
    this.sweepService = sweepService;
    this.quartz = quartz;
    this.settings = settings;
  }

  /**
   * Fires a schedule.
   *
   * @param scheduledFor epoch ms of the cron time this firing stands for, or null when by hand
   * @return the recorded firing, or empty when the schedule no longer exists
   */
  public Optional<FiringRecord> fire(String scheduleId, Long scheduledFor) {
    long now = System.currentTimeMillis();
    Optional<ScheduleRecord> found =
        QuarkusTransaction.requiringNew().call(() -> schedules.find(scheduleId));
    if (found.isEmpty()) {
      LOG.warnf("schedule %s fired but is not in the store; nothing started", scheduleId);
      return Optional.empty();
    }
    ScheduleRecord schedule = found.get();
    Optional<ExecutionRef> running = running(schedule);
    if (running.isEmpty()) {
      return Optional.of(start(schedule, scheduledFor, now, null, null));
    }
    ExecutionRef previous = running.get();
    String what = "execution #" + previous.number() + " (sweep " + previous.sweepId() + ")";
    return Optional.of(
        switch (schedule.overlap()) {
          case SKIP ->
              record(schedule, scheduledFor, now, FiringOutcome.SKIPPED, what + " still running");
          case QUEUE -> queue(schedule, scheduledFor, now, what);
          case CANCEL -> {
            sweepService.cancel(previous.sweepId());
            yield start(
                schedule, scheduledFor, now, null, "cancelled " + what + ", which still ran");
          }
        });
  }

  /** Checks a queued firing again: starts its execution once the previous one has ended. */
  public void recheck(String scheduleId, String firingId) {
    Optional<FiringRecord> firing =
        QuarkusTransaction.requiringNew().call(() -> firings.find(firingId));
    Optional<ScheduleRecord> schedule =
        QuarkusTransaction.requiringNew().call(() -> schedules.find(scheduleId));
    if (firing.isEmpty() || firing.get().outcome().settled() || schedule.isEmpty()) {
      return;
    }
    if (running(schedule.get()).isPresent()) {
      checkLater(scheduleId, firingId);
      return;
    }
    FiringRecord f = firing.get();
    start(schedule.get(), f.scheduledFor(), System.currentTimeMillis(), f.id(), null);
  }

  private FiringRecord queue(ScheduleRecord schedule, Long scheduledFor, long now, String what) {
    boolean waiting =
        QuarkusTransaction.requiringNew().call(() -> firings.anyQueued(schedule.id()));
    if (waiting) {
      return record(
          schedule,
          scheduledFor,
          now,
          FiringOutcome.SKIPPED,
          what + " still running and a queued firing already waits for it");
    }
    FiringRecord queued =
        record(schedule, scheduledFor, now, FiringOutcome.QUEUED, "waits for " + what + " to end");
    checkLater(schedule.id(), queued.id());
    return queued;
  }

  private void checkLater(String scheduleId, String firingId) {
    Date at = new Date(System.currentTimeMillis() + settings.queueCheck().toMillis());
    try {
      quartz.scheduleJob(ScheduleTriggers.queuedCheck(scheduleId, firingId, at));
    } catch (SchedulerException e) {
      QuarkusTransaction.requiringNew()
          .run(
              () ->
                  firings.settle(
                      firingId,
                      FiringOutcome.FAILED,
                      null,
                      "could not wait for the running execution: " + e.getMessage()));
    }
  }

  /**
   * Starts the next execution and records the firing (or settles the queued one).
   *
   * @param queuedFiringId the queued firing this start settles, or null for a new firing
   */
  private FiringRecord start(
      ScheduleRecord schedule, Long scheduledFor, long now, String queuedFiringId, String note) {
    try {
      return QuarkusTransaction.requiringNew()
          .call(
              () -> {
                List<ExecutionRef> done = schedules.executions(schedule.id());
                int number = done.isEmpty() ? 1 : done.get(0).number() + 1;
                List<WarmStart> warm = warmStart(schedule, done);
                SweepRecord sweep =
                    sweepService.submit(
                        schedule.specYaml(),
                        "schedule " + schedule.name() + " (" + schedule.origin() + ")",
                        new Execution(schedule.id(), number, warm));
                String message =
                    (note == null ? "" : note + "; ")
                        + "execution #"
                        + number
                        + (warm.isEmpty()
                            ? ""
                            : ", warm start: " + warm.size() + " previous best configurations");
                LOG.infof(
                    "schedule '%s' started execution #%d: sweep %s%s",
                    schedule.name(), number, sweep.id(), note == null ? "" : " (" + note + ")");
                return settleOrInsert(
                    schedule,
                    scheduledFor,
                    now,
                    queuedFiringId,
                    FiringOutcome.STARTED,
                    sweep.id(),
                    message);
              });
    } catch (RuntimeException e) {
      LOG.errorf(e, "schedule '%s' could not start an execution", schedule.name());
      return QuarkusTransaction.requiringNew()
          .call(
              () ->
                  settleOrInsert(
                      schedule,
                      scheduledFor,
                      now,
                      queuedFiringId,
                      FiringOutcome.FAILED,
                      null,
                      "could not start an execution: " + e.getMessage()));
    }
  }

  private FiringRecord settleOrInsert(
      ScheduleRecord schedule,
      Long scheduledFor,
      long now,
      String queuedFiringId,
      FiringOutcome outcome,
      String sweepId,
      String message) {
    metrics.fired(outcome);
    if (queuedFiringId != null) {
      firings.settle(queuedFiringId, outcome, sweepId, message);
      return firings.find(queuedFiringId).orElseThrow();
    }
    FiringRecord f =
        new FiringRecord(
            UUID.randomUUID().toString(),
            schedule.id(),
            now,
            scheduledFor,
            outcome,
            sweepId,
            message);
    firings.insert(f);
    return f;
  }

  private FiringRecord record(
      ScheduleRecord schedule, Long scheduledFor, long now, FiringOutcome outcome, String message) {
    LOG.infof("schedule '%s' firing %s: %s", schedule.name(), outcome.key(), message);
    return QuarkusTransaction.requiringNew()
        .call(() -> settleOrInsert(schedule, scheduledFor, now, null, outcome, null, message));
  }

  /** The schedule's latest execution while it still runs. */
  private Optional<ExecutionRef> running(ScheduleRecord schedule) {
    return QuarkusTransaction.requiringNew()
        .call(
            () -> {
              List<ExecutionRef> all = schedules.executions(schedule.id());
              if (all.isEmpty()) {
                return Optional.<ExecutionRef>empty();
              }
              ExecutionRef latest = all.get(0);
              return sweeps
                  .find(latest.sweepId())
                  .filter(s -> s.state() == SweepState.RUNNING)
                  .map(s -> latest);
            });
  }

  /**
   * The previous execution's best completed configurations (the latest execution with any), best
   * first, at most the schedule's {@code warm_start}; only those that still fit the sweep's search
   * space (the same parameters).
   */
  private List<WarmStart> warmStart(ScheduleRecord schedule, List<ExecutionRef> done) {
    if (schedule.warmStart() == 0) {
      return List.of();
    }
    SweepSpec spec = SweepLoader.load(schedule.specYaml()).spec();
    Set<String> dimensions = spec.searchSpace().dimensions().keySet();
    boolean maximize = spec.objective().goal() == SweepSpec.Goal.MAXIMIZE;
    for (ExecutionRef previous : done) {
      List<TrialRecord> best =
          trials.ofSweep(previous.sweepId()).stream()
              .filter(t -> t.state() == TrialState.COMPLETED && t.objective() != null)
              .sorted(
                  Comparator.comparingDouble(
                          (TrialRecord t) -> Objectives.oriented(t.objective(), maximize))
                      .reversed()
                      .thenComparingInt(TrialRecord::number))
              .toList();
      if (best.isEmpty()) {
        continue;
      }
      List<WarmStart> warm = new ArrayList<>();
      for (TrialRecord t : best) {
        Point point = Point.fromCanonicalJson(t.paramsJson());
        if (point.values().keySet().equals(dimensions)) {
          warm.add(new WarmStart(point, seed(t)));
        }
        if (warm.size() == schedule.warmStart()) {
          break;
        }
      }
      return warm;
    }
    return List.of();
  }

  private static long seed(TrialRecord t) {
    Long seed = TrialSpec.fromJson(t.specJson(), "trial " + t.id()).seed();
    return seed == null ? 0 : seed;
  }
}
