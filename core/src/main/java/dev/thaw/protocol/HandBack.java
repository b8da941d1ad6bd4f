package dev.thaw.protocol;

/**
 * A trial the worker gives back unfinished because it is stopping (Ctrl-C, SIGTERM, a drained
 * host): nothing went wrong with the trial, so it is queued again at once without using one of its
 * retries ({@code POST /api/v1/leases/{id}/hand-back}).
 *
 * @param reason why the worker stopped, for people
 */
public record HandBack(String reason) {}
