package dev.thaw.orchestrator.schedules;

import dev.thaw.sweep.SweepSpec.Overlap;

/**
 * A stored schedule: a scheduled sweep file, one per sweep name.
 *
 * @param id UUID; also the name of its Quartz job and cron trigger
 * @param name the sweep's name
 * @param cron Quartz cron, seconds first
 * @param timeZone IANA id the cron is read in
 * @param overlap what a firing does while the previous execution still runs
 * @param warmStart previous best configurations each execution re-runs first
 * @param regressionThreshold allowed drop of the best objective
 * @param specYaml the sweep file
 * @param origin where the file came from
 * @param paused whether firings are paused
 * @param createdAt epoch ms
 * @param updatedAt epoch ms of the last registration that changed it
 */
public record ScheduleRecord(
    String id,
    String name,
    String cron,
    String timeZone,
    Overlap overlap,
    int warmStart,
    double regressionThreshold,
    String specYaml,
    String origin,
    boolean paused,
    long createdAt,
    long updatedAt) {}
