package dev.thaw.orchestrator.leases;

import dev.thaw.api.SweepState;
import dev.thaw.api.TrialState;
import dev.thaw.json.ThawJson;
import dev.thaw.orchestrator.store.AttemptRepository;
import dev.thaw.orchestrator.store.AttemptState;
import dev.thaw.orchestrator.store.Database;
import dev.thaw.orchestrator.store.MetricRepository;
import dev.thaw.orchestrator.store.Script;
import dev.thaw.orchestrator.store.SweepRecord;
import dev.thaw.orchestrator.store.SweepRepository;
import dev.thaw.orchestrator.store.TrialRepository;
import dev.thaw.orchestrator.sweeps.EndedTrial;
import dev.thaw.orchestrator.sweeps.SweepService;
import dev.thaw.protocol.StopRequest;
import dev.thaw.trial.TrialResult;
import jakarta.enterprise.context.ApplicationScoped;
import java.util.Optional;
import org.jboss.logging.Logger;

/**
 * Records trials' results, each checked against its lease first ({@link ReportCheck}), optionally
 * with the next lease for the same worker. Exactly one result per trial: the result ends the
 * attempt with a conditional update of an ACTIVE attempt ({@link AttemptEnder}), so a late result
 * after the reaper expired the attempt is rejected ({@link LeaseLostException}, HTTP 409). The
 * attempt's end, the epochs, the trial's end and the next trial's start go as one {@link Script}
 * (one round trip on PostgreSQL); when the attempt's end did not hold, the transaction throws and
 * none of them stays.
 */
@ApplicationScoped
class ResultRecorder {
  private static final Logger LOG = Logger.getLogger(ResultRecorder.class);

  private final SweepRepository sweeps;
  private final TrialRepository trials;
  private final AttemptRepository attempts;
  private final MetricRepository metrics;
  private final Database db;
  private final SweepService sweepService;
  private final Dispatcher dispatcher;
  private final WorkerCaches caches;
  private final LiveLeases live;
  private final LeaseGranter granter;
  private final AttemptEnder ender;

  ResultRecorder(
      SweepRepository sweeps,
      TrialRepository trials,
      AttemptRepository attempts,
      MetricRepository metrics,
      Database db,
      SweepService sweepService,
      Dispatcher dispatcher,
      LiveLeases live,
      LeaseGranter granter,
      AttemptEnder ender,
      WorkerCaches caches) {
    this.sweeps = sweeps;
    this.trials = trials;
    this.attempts = attempts;
    this.metrics = metrics;
    this.db = db;
    this.sweepService = sweepService;
    this.dispatcher = dispatcher;
    this.caches = caches;
    this.live = live;
    this.granter = granter;
    this.ender = ender;
  }

  /**
   * Records the trial's result: COMPLETED, or PRUNED / CANCELLED when it was told to stop.
   *
   * @throws LeaseLostException when the lease is not active (e.g. a late report after expiry)
   * @throws InvalidReportException when the result does not fit the lease (another trial's, more
   *     epochs than planned, a figure out of range; see {@link ReportCheck}); nothing is stored
   */
  void complete(String leaseId, TrialResult result) {
    LiveLease lease = live.find(leaseId);
    synchronized (lease) {
      live.refuseIfEnded(lease);
      ReportCheck.refuseUnfit(leaseId, "result", ReportCheck.ofResult(lease.terms, result));
      completeLease(lease, result, null);
    }
  }

  /**
   * Records the result as {@link #complete} does and leases the next trial to the same worker (the
   * completed lease's worker id, host and device), saving the worker a round trip. The next trial
   * is claimed before the result is written, as if this trial had ended already (its sweep's {@code
   * parallel_trials} counts it out), and started in the result's transaction: one commit for both.
   * When no trial could be claimed then, or the claimed one was taken meanwhile, the result is
   * committed alone and the next trial is leased in a transaction of its own, whose failure leaves
   * the result in and answers "no lease". A failure of the shared transaction fails the call with
   * nothing written, as a failed plain complete does, and the worker sends its result again.
   *
   * @return the next lease, or empty when no trial is ready
   * @throws LeaseLostException when the lease is not active; nothing is leased then
   * @throws InvalidReportException as {@link #complete} does; nothing is stored nor leased
   */
  Optional<WireLease> completeAndLease(String leaseId, TrialResult result) {
    LiveLease done = live.find(leaseId);
    LeaseGranter.Started next = null;
    synchronized (done) {
      live.refuseIfEnded(done);
      ReportCheck.refuseUnfit(leaseId, "result", ReportCheck.ofResult(done.terms, result));
      Optional<Dispatcher.Claim> claim;
      try {
        claim = dispatcher.claimInPlaceOf(done.sweepId, caches.of(done.workerId));
      } catch (RuntimeException e) {
        LOG.warnf(e, "lease %s: claiming the next trial with its result failed", leaseId);
        claim = Optional.empty();
      }
      try {
        next = completeLease(done, result, claim.orElse(null));
      } finally {
        if (claim.isPresent()) {
          dispatcher.settle(claim.get(), next != null);
        }
      }
    }
    if (next != null) {
      live.add(next.live());
      return Optional.of(next.lease());
    }
    try {
      return granter.lease(done.worker());
    } catch (RuntimeException e) {
      // The result is in: an error now must not make the worker think it was refused (it would
      // send it again and be told its lease is gone). It asks for a lease as usual instead.
      LOG.warnf(
          e,
          "result of lease %s recorded; leasing the next trial to %s failed",
          leaseId,
          done.workerId);
      return Optional.empty();
    }
  }

  /**
   * Records the result (see {@link #complete}) in one transaction, called holding the live lease's
   * lock. With a {@code claim}, the claimed trial is started for the same worker in the same
   * transaction, its statements in the result's script.
   *
   * @return the started lease, or null when there was no claim or its trial was no longer queued
   */
  private LeaseGranter.Started completeLease(
      LiveLease lease, TrialResult result, Dispatcher.Claim claim) {
    // Work on a copy: the live lease changes only once the result is in the store.
    LiveLease after = lease.copy();
    LeaseGranter.Started[] next = {null};
    ender.endLease(
        lease,
        () -> {
          long now = System.currentTimeMillis();
          SweepRecord sweep = sweeps.find(lease.sweepId).orElseThrow();
          LeaseGranter.PendingStart start =
              claim == null ? null : granter.prepare(claim, lease.worker());
          Script script = new Script();
          int ended = attempts.end(script, lease.leaseId, AttemptState.COMPLETED, null, now);
          after.record(script, metrics, sweep, result.epochs(), now);
          StopRequest stop = after.stopRequested();
          if (stop == null && sweep.state() != SweepState.RUNNING) {
            stop = StopRequest.ofEndedSweep(sweep.state());
          }
          TrialState state = stop == null ? TrialState.COMPLETED : stop.endState();
          trials.finish(
              script,
              lease.trialId,
              state,
              after.objective(),
              after.bestEpoch(),
              after.epochsDone(),
              json(result),
              null,
              now);
          if (start != null) {
            start.addTo(script);
          }
          int[] counts = db.run(script);
          if (counts[ended] != 1) {
            // Rolls back the epochs, the trial's end and the next start that went with it.
            throw new LeaseLostException(
                lease.leaseId, "it ended while this report was on its way");
          }
          next[0] = start == null ? null : start.outcome(counts);
          sweepService.afterTrialEnded(
              sweep.id(), new EndedTrial(lease.trialNumber, state, after.objective(), null));
          return false;
        });
    return next[0];
  }

  private static String json(Object value) {
    try {
      return ThawJson.mapper().writeValueAsString(value);
    } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
      throw new IllegalStateException(e);
    }
  }
}
