package dev.thaw.protocol;

/**
 * A trial that could not finish.
 *
 * @param reason what went wrong, for people (the exception's message and class)
 * @param retryable false when retrying cannot help (an invalid trial, a missing dataset); the trial
 *     then fails at once instead of using up the sweep's retries
 */
public record Failure(String reason, boolean retryable) {}
