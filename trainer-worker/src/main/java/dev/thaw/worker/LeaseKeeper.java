package dev.thaw.worker;

import dev.thaw.protocol.HeartbeatReply;
import dev.thaw.trial.EpochMetrics;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Consumer;
import java.util.function.Supplier;

/**
 * Keeps one lease alive while its trial runs: heartbeats with every finished epoch and, from a
 * background thread, between epochs. Remembers what the orchestrator said: stop (sticky), or that
 * the lease is lost. Epochs whose heartbeat failed are sent again with the next one; the
 * orchestrator ignores epochs it already has.
 *
 * <p>Thread-safe: one heartbeat at a time, and none after {@link #close()}.
 */
final class LeaseKeeper {
  private final TrialSource source;
  private final String leaseId;
  private final Consumer<String> onHeartbeatFailure;
  private final List<EpochMetrics> unsent = new ArrayList<>();
  private HeartbeatReply stop;
  private String lost;
  private boolean closed;
  private final Supplier<List<String>> held;
  private final WorkerStats stats;

  /**
   * @param source where heartbeats go
   * @param leaseId the lease
   * @param onHeartbeatFailure hears why a heartbeat could not be delivered
   * @param held what the worker's feature cache holds, sent with every heartbeat
   * @param stats the worker's own figures, sent with every heartbeat
   */
  LeaseKeeper(
      TrialSource source,
      String leaseId,
      Consumer<String> onHeartbeatFailure,
      Supplier<List<String>> held,
      WorkerStats stats) {
    this.held = held;
    this.stats = stats;
    this.source = source;
    this.leaseId = leaseId;
    this.onHeartbeatFailure = onHeartbeatFailure;
  }

  /** Reports a finished epoch at once. */
  synchronized void epochFinished(EpochMetrics metrics) {
    unsent.add(metrics);
    beat();
  }

  /** Sends a heartbeat with the epochs not yet delivered (possibly none). Never throws. */
  synchronized void beat() {
    if (closed || lost != null) {
      return;
    }
    List<EpochMetrics> sending = List.copyOf(unsent);
    try {
      HeartbeatReply reply = source.heartbeat(leaseId, stats.heartbeat(sending, held.get()));
      unsent.subList(0, sending.size()).clear();
      if (reply.action() == HeartbeatReply.Action.STOP && stop == null) {
        stop = reply;
      }
    } catch (LeaseLostException e) {
      lost = e.getMessage();
    } catch (RuntimeException e) {
      onHeartbeatFailure.accept(e.getMessage());
    }
  }

  /** The orchestrator's STOP reply, or null while it says continue. */
  synchronized HeartbeatReply stopReply() {
    return stop;
  }

  /** Why the lease is lost, or null while it is this worker's. */
  synchronized String lostReason() {
    return lost;
  }

  /** True while training should go on: not stopped by the orchestrator, lease not lost. */
  synchronized boolean goOn() {
    return stop == null && lost == null;
  }

  /** No heartbeat after this; waits for one in flight. */
  synchronized void close() {
    closed = true;
  }
}
