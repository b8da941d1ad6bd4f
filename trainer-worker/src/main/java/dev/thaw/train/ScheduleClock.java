package dev.thaw.train;

import dev.thaw.trial.LrSchedule;

/**
 * Moves a trial's learning rates along its {@link LrSchedule}, one optimizer step at a time: {@link
 * #run} before step t (0-based) scales every rate by the schedule's multiplier at t of the trial's
 * T steps. Steps past T (none in a trial) keep the last multiplier.
 */
final class ScheduleClock implements Runnable {
  private final GroupLearningRates rates;
  private final LrSchedule schedule;
  private final long total;
  private long step;

  /**
   * @param totalSteps T, the trial's optimizer steps: steps per epoch x every planned epoch
   */
  ScheduleClock(GroupLearningRates rates, LrSchedule schedule, long totalSteps) {
    if (totalSteps < 1) {
      throw new IllegalArgumentException("a schedule needs >= 1 step (got " + totalSteps + ")");
    }
    this.rates = rates;
    this.schedule = schedule;
    this.total = totalSteps;
  }

  /** Sets the rates of the next step and counts it. */
  @Override
  public void run() {
    rates.scale(schedule.multiplier(Math.min(step, total - 1), total));
    step++;
  }

  /** Steps taken so far. */
  long steps() {
    return step;
  }
}
