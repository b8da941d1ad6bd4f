package dev.thaw.orchestrator.schedules;

import dev.thaw.api.FiringView;
import dev.thaw.api.ScheduleView;
import dev.thaw.orchestrator.schedules.ScheduleRepository.ExecutionRef;
import dev.thaw.orchestrator.sweeps.SweepViews;
import java.util.Date;
import java.util.List;

/** Builds what the schedule API shows from stored schedules and firings. */
final class ScheduleViews {
  private ScheduleViews() {}

  static ScheduleView schedule(
      ScheduleRecord s, Date nextFire, List<ExecutionRef> executions, FiringView lastFiring) {
    return new ScheduleView(
        s.id(),
        s.name(),
        s.cron(),
        s.timeZone(),
        s.overlap().key(),
        s.warmStart(),
        s.regressionThreshold(),
        s.paused(),
        s.origin(),
        nextFire == null ? null : nextFire.toInstant().toString(),
        executions.size(),
        lastFiring,
        SweepViews.time(s.createdAt()));
  }

  static FiringView firing(FiringRecord f, List<ExecutionRef> executions) {
    Integer number =
        f.sweepId() == null
            ? null
            : executions.stream()
                .filter(e -> e.sweepId().equals(f.sweepId()))
                .map(ExecutionRef::number)
                .findFirst()
                .orElse(null);
    return new FiringView(
        f.id(),
        SweepViews.time(f.firedAt()),
        SweepViews.time(f.scheduledFor()),
        f.outcome(),
        f.sweepId(),
        number,
        f.message());
  }
}
