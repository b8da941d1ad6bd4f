/**
 * Scheduled sweeps: a sweep file with a {@code schedule} becomes a persistent, clustered Quartz job
 * ({@link dev.thaw.orchestrator.schedules.ScheduleService}); each firing starts a new execution of
 * the sweep ({@link dev.thaw.orchestrator.schedules.Firings}), warm-started from the previous
 * execution's best configurations; {@link dev.thaw.orchestrator.schedules.MorningReports} compares
 * each execution with the one before.
 */
package dev.thaw.orchestrator.schedules;
