package dev.thaw.orchestrator.schedules;

import dev.thaw.api.FiringOutcome;

/**
 * One stored firing of a schedule.
 *
 * @param id UUID
 * @param scheduleId its schedule
 * @param firedAt epoch ms
 * @param scheduledFor epoch ms of the cron time it stands for, or null when triggered by hand
 * @param outcome what it did
 * @param sweepId the execution it started, or null
 * @param message why it was skipped, queued or failed, or null
 */
public record FiringRecord(
    String id,
    String scheduleId,
    long firedAt,
    Long scheduledFor,
    FiringOutcome outcome,
    String sweepId,
    String message) {}
