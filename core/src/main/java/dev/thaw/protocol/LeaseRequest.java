package dev.thaw.protocol;

/**
 * A worker asks for its next trial.
 *
 * @param workerId stable id of the worker process (host + device + pid, or given by flag)
 * @param host the worker's host name
 * @param device the device it trains on ({@code cpu()}, {@code gpu(0)})
 */
public record LeaseRequest(String workerId, String host, String device) {}
