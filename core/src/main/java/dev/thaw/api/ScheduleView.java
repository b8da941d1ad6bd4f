package dev.thaw.api;

/**
 * A scheduled sweep.
 *
 * @param id the schedule's id
 * @param name the sweep's name (one schedule per name)
 * @param cron Quartz cron, seconds first
 * @param timeZone IANA time-zone id the cron is read in
 * @param overlap {@code skip}, {@code queue} or {@code cancel}: what a firing does while the
 *     previous execution still runs
 * @param warmStart how many of the previous execution's best configurations run first
 * @param regressionThreshold allowed drop of the best objective before an execution is flagged
 * @param paused whether firings are paused
 * @param origin where the sweep file came from
 * @param nextFireAt ISO-8601, the next firing, or null (paused, or none left)
 * @param executions executions started so far
 * @param lastFiring the latest firing, or null
 * @param createdAt ISO-8601
 */
public record ScheduleView(
    String id,
    String name,
    String cron,
    String timeZone,
    String overlap,
    int warmStart,
    double regressionThreshold,
    boolean paused,
    String origin,
    String nextFireAt,
    int executions,
    FiringView lastFiring,
    String createdAt) {}
