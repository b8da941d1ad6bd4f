package dev.thaw.mlflow;

import java.time.Duration;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * A local handle on an MLflow run. It exists as soon as {@link Tracker#startRun} returns; the
 * server's run id becomes known later, when the tracker's sender has created the run on the server
 * (at once when the server is up, after an outage otherwise). Nothing waits for it unless asked to:
 * {@link #serverId()} does not block, {@link #awaitServerId(Duration)} does.
 */
public final class TrackedRun {
  private final String key;
  private final String runName;
  private final CompletableFuture<String> serverId = new CompletableFuture<>();

  TrackedRun(String key, String runName) {
    this.key = key;
    this.runName = runName;
  }

  /** The run's local key: unique, stable across the spool's restarts, set as tag on the run. */
  public String key() {
    return key;
  }

  /** The run name given to {@link Tracker#startRun}. */
  public String runName() {
    return runName;
  }

  /** The server's run id if the server has created the run already; never blocks. */
  public Optional<String> serverId() {
    return Optional.ofNullable(serverId.getNow(null));
  }

  /**
   * Waits at most {@code timeout} for the server's run id.
   *
   * @return the id, or empty when the run is not on the server within the timeout (server down,
   *     tracking off, or the server refused the run)
   */
  public Optional<String> awaitServerId(Duration timeout) throws InterruptedException {
    try {
      return Optional.ofNullable(serverId.get(timeout.toMillis(), TimeUnit.MILLISECONDS));
    } catch (TimeoutException | ExecutionException e) {
      return Optional.empty();
    }
  }

  void bind(String id) {
    serverId.complete(id);
  }

  void refused() {
    serverId.complete(null);
  }

  @Override
  public String toString() {
    return "run '" + runName + "' (" + serverId().map(id -> "MLflow run " + id).orElse(key) + ")";
  }
}
