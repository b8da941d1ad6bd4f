package dev.thaw.api;

import java.util.List;

/**
 * The morning report of one execution of a schedule: its best configuration and objective against
 * the previous execution's.
 *
 * @param scheduleId the schedule
 * @param name the sweep's name
 * @param execution the execution's number (1, 2, ...)
 * @param sweepId the execution's sweep
 * @param state the execution's state
 * @param objective what the sweep optimises
 * @param best the execution's best trial, or null when none has a result yet
 * @param previousExecution the execution compared with, or null for the first
 * @param previousSweepId its sweep, or null
 * @param previousBest its best trial, or null
 * @param change best minus previous best objective (signed, in the metric's units), or null
 * @param regression true when the best objective got worse than the previous execution's by more
 *     than {@code regressionThreshold}, in the objective's direction
 * @param regressionThreshold the schedule's threshold
 * @param warmStarts the trials that re-ran the previous execution's best configurations
 * @param summary the report in one line
 */
public record ScheduleReport(
    String scheduleId,
    String name,
    int execution,
    String sweepId,
    SweepState state,
    Objective objective,
    TrialView best,
    Integer previousExecution,
    String previousSweepId,
    TrialView previousBest,
    Double change,
    boolean regression,
    double regressionThreshold,
    List<TrialView> warmStarts,
    String summary) {
  public ScheduleReport {
    warmStarts = warmStarts == null ? List.of() : List.copyOf(warmStarts);
  }
}
