package dev.thaw.orchestrator.leases;

import dev.thaw.orchestrator.metrics.LeaseMetrics;
import dev.thaw.orchestrator.metrics.LeaseMetrics.Call;
import dev.thaw.orchestrator.metrics.LeaseMetrics.Ending;
import dev.thaw.orchestrator.metrics.WorkerMetrics;
import dev.thaw.orchestrator.store.Script;
import dev.thaw.protocol.Failure;
import dev.thaw.protocol.HandBack;
import dev.thaw.protocol.Heartbeat;
import dev.thaw.protocol.HeartbeatReply;
import dev.thaw.protocol.Lease;
import dev.thaw.protocol.LeaseRequest;
import dev.thaw.trial.TrialResult;
import jakarta.enterprise.context.ApplicationScoped;
import java.util.Optional;

/**
 * Hands trials to workers and hears back from them: lease ({@link LeaseGranter}), heartbeat with
 * early termination ({@link HeartbeatHandler}), complete, optionally with the next lease for the
 * same worker ({@link ResultRecorder}), fail and hand back ({@link AttemptEnder}), and the reaper
 * that requeues trials whose lease expired ({@link LeaseReaper}). Active leases are kept in memory
 * ({@link LiveLeases}); leases found active in the store after a restart are taken over with a
 * grace of one lease.
 *
 * <p>Exactly one result per trial: every report ends the attempt with a conditional update of an
 * ACTIVE attempt, so once the reaper has expired an attempt, a late report from its worker finds
 * nothing to update and is rejected ({@link LeaseLostException}, HTTP 409). The {@link Dispatcher}
 * picks the next trial in memory and the lease takes it with a conditional QUEUED → RUNNING update,
 * so two workers never share a trial.
 *
 * <p>Each of these transactions sends its writes as one {@link Script} (one round trip on
 * PostgreSQL) and reads the conditional updates' counts afterwards: when a condition did not hold,
 * it throws (or marks the transaction for rollback), so the writes that went with it do not stay.
 */
@ApplicationScoped
public class LeaseService {
  private final LeaseGranter granter;
  private final HeartbeatHandler heartbeats;
  private final ResultRecorder results;
  private final AttemptEnder ender;
  private final LeaseReaper reaper;
  private final LeaseMetrics metrics;
  private final WorkerMetrics workers;

  LeaseService(
      LeaseGranter granter,
      HeartbeatHandler heartbeats,
      ResultRecorder results,
      AttemptEnder ender,
      LeaseReaper reaper,
      LeaseMetrics metrics,
      WorkerMetrics workers) {
    this.metrics = metrics;
    this.workers = workers;
    this.granter = granter;
    this.heartbeats = heartbeats;
    this.results = results;
    this.ender = ender;
    this.reaper = reaper;
  }

  /** Leases the next trial to a worker, or empty when no trial is ready. */
  public Optional<Lease> lease(LeaseRequest worker) {
    return leaseForWire(worker).map(WireLease::toLease);
  }

  /** Like {@link #lease}, with the trial spec as stored JSON (for the REST API). */
  public Optional<WireLease> leaseForWire(LeaseRequest worker) {
    Optional<WireLease> lease = metrics.time(Call.LEASE, () -> granter.lease(worker));
    // Heard only once the request passed its checks: a refused worker id gets no series.
    workers.heard(worker.workerId());
    lease.ifPresent(l -> metrics.granted());
    return lease;
  }

  /**
   * Extends the lease, stores new epochs, and says whether to go on: stop when the sweep was
   * cancelled or finished, or when the early-termination rule prunes the trial.
   *
   * @throws LeaseLostException when the lease is not active
   * @throws InvalidReportException when an epoch does not fit the lease (see {@link ReportCheck});
   *     nothing is stored and the lease is not extended
   */
  public HeartbeatReply heartbeat(String leaseId, Heartbeat beat) {
    return metrics.time(Call.HEARTBEAT, () -> heartbeats.heartbeat(leaseId, beat));
  }

  /**
   * Records the trial's result: COMPLETED, or PRUNED / CANCELLED when it was told to stop.
   *
   * @throws LeaseLostException when the lease is not active (e.g. a late report after expiry)
   * @throws InvalidReportException when the result does not fit the lease; nothing is stored
   * @see ResultRecorder#complete
   */
  public void complete(String leaseId, TrialResult result) {
    metrics.time(Call.COMPLETE, () -> results.complete(leaseId, result));
    metrics.ended(Ending.COMPLETED);
  }

  /**
   * Records the result as {@link #complete} does and leases the next trial to the same worker in
   * the same transaction when one can be claimed (see {@link ResultRecorder#completeAndLease}).
   *
   * @return the next lease, or empty when no trial is ready
   * @throws LeaseLostException when the lease is not active; nothing is leased then
   * @throws InvalidReportException as {@link #complete} does; nothing is stored nor leased
   */
  public Optional<WireLease> completeAndLease(String leaseId, TrialResult result) {
    Optional<WireLease> next =
        metrics.time(Call.COMPLETE, () -> results.completeAndLease(leaseId, result));
    metrics.ended(Ending.COMPLETED);
    next.ifPresent(l -> metrics.granted());
    return next;
  }

  /**
   * Records a failed attempt: the trial is queued again while retries remain and the failure is
   * retryable, else it fails.
   *
   * @throws LeaseLostException when the lease is not active
   */
  public void fail(String leaseId, Failure failure) {
    metrics.time(Call.FAIL, () -> ender.fail(leaseId, failure));
    metrics.ended(Ending.FAILED);
  }

  /**
   * Takes back a trial its worker gave back unfinished because it is stopping: queued again at
   * once, without using a retry (unless a stop was asked for or the sweep ended meanwhile).
   *
   * @throws LeaseLostException when the lease is not active
   */
  public void handBack(String leaseId, HandBack handBack) {
    metrics.time(Call.HAND_BACK, () -> ender.handBack(leaseId, handBack));
    metrics.ended(Ending.HANDED_BACK);
  }

  /**
   * Puts the trials of expired leases back in the queue (or fails them) now; the {@link
   * LeaseReaper} does it on its own every second.
   */
  public void reapExpired() {
    reaper.reapExpired();
  }
}
