package dev.thaw.worker;

import dev.thaw.protocol.Failure;
import dev.thaw.protocol.HandBack;
import dev.thaw.protocol.Heartbeat;
import dev.thaw.protocol.HeartbeatReply;
import dev.thaw.protocol.Lease;
import dev.thaw.protocol.LeaseRequest;
import dev.thaw.trial.TrialResult;
import java.util.Optional;

/**
 * Where a worker gets its trials and reports on them: the worker's side of the orchestrator's lease
 * protocol ({@link dev.thaw.protocol}). {@link HttpTrialSource} speaks it over HTTP.
 *
 * <p>Every call about a lease throws {@link LeaseLostException} when the lease is no longer the
 * worker's (it expired and went to another worker, or the trial already has a result), and {@link
 * TrialSourceException} when the orchestrator cannot be reached or refuses the call.
 */
public interface TrialSource {
  /** The next trial for this worker, or empty when none is ready. */
  Optional<Lease> lease(LeaseRequest request);

  /** Keeps the lease alive and reports finished epochs; the reply says continue or stop. */
  HeartbeatReply heartbeat(String leaseId, Heartbeat heartbeat);

  /** Reports the trial's result (also the partial result of a trial the orchestrator stopped). */
  void complete(String leaseId, TrialResult result);

  /**
   * Reports the trial's result, as {@link #complete} does, and leases the next trial for the same
   * worker, as {@link #lease} does: a source that can do both in one call to the orchestrator saves
   * the worker a round trip per trial. This default makes the two calls.
   *
   * <p>It throws only when the result was not delivered: a lease that fails once the result is in
   * is answered as no lease (empty), and the worker then asks with {@link #lease} as usual, with
   * its own retries and backoff. Empty also when the orchestrator does not lease with the result
   * (an older one).
   *
   * @param next the worker asking for the next trial (a source that leases with the result may take
   *     the worker from the completed lease instead)
   * @return the next lease, or empty when none came with the result
   */
  default Optional<Lease> completeAndLease(String leaseId, TrialResult result, LeaseRequest next) {
    complete(leaseId, result);
    try {
      return lease(next);
    } catch (TrialSourceException | LeaseLostException e) {
      return Optional.empty(); // the result is in: the worker's poll loop asks again
    }
  }

  /** Reports that the trial could not finish. */
  void fail(String leaseId, Failure failure);

  /**
   * Gives the trial back unfinished because the worker is stopping; the orchestrator queues it
   * again without using a retry. This default reports a retryable failure instead (a retry used).
   */
  default void handBack(String leaseId, HandBack handBack) {
    fail(leaseId, new Failure(handBack.reason(), true));
  }
}
