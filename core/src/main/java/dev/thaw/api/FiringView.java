package dev.thaw.api;

/**
 * One firing of a schedule.
 *
 * @param id the firing's id
 * @param firedAt ISO-8601, when it fired
 * @param scheduledFor ISO-8601, the cron time it stands for; null when triggered by hand
 * @param outcome what it did
 * @param sweepId the execution it started, or null
 * @param execution that execution's number (1, 2, ...), or null
 * @param message why it was skipped, queued or failed, or null
 */
public record FiringView(
    String id,
    String firedAt,
    String scheduledFor,
    FiringOutcome outcome,
    String sweepId,
    Integer execution,
    String message) {}
