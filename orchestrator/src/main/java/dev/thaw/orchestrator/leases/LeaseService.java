package dev.thaw.orchestrator.leases;

import dev.thaw.json.ThawJson;
import dev.thaw.orchestrator.store.AttemptRecord;
import dev.thaw.orchestrator.store.AttemptRepository;
import dev.thaw.orchestrator.store.AttemptState;
import dev.thaw.orchestrator.store.Database;
import dev.thaw.orchestrator.store.MetricRepository;
import dev.thaw.orchestrator.store.Script;
import dev.thaw.orchestrator.store.SweepRecord;
import dev.thaw.orchestrator.store.SweepRepository;
import dev.thaw.orchestrator.store.TrialRecord;
import dev.thaw.orchestrator.store.TrialRepository;
import dev.thaw.orchestrator.sweeps.EndedTrial;
import dev.thaw.orchestrator.sweeps.Objectives;
import dev.thaw.orchestrator.sweeps.SweepService;
import dev.thaw.orchestrator.tracking.SweepTracking;
import dev.thaw.sweep.api.SweepState;
import dev.thaw.sweep.api.TrialState;
import dev.thaw.trial.EpochMetrics;
import dev.thaw.trial.Metric;
import dev.thaw.trial.TrialResult;
import dev.thaw.worker.protocol.Failure;
import dev.thaw.worker.protocol.HandBack;
import dev.thaw.worker.protocol.Heartbeat;
import dev.thaw.worker.protocol.HeartbeatReply;
import dev.thaw.worker.protocol.Lease;
import dev.thaw.worker.protocol.LeaseRequest;
import dev.thaw.worker.protocol.MlflowTracking;
import io.quarkus.narayana.jta.QuarkusTransaction;
import io.quarkus.scheduler.Scheduled;
import jakarta.enterprise.context.ApplicationScoped;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import org.jboss.logging.Logger;

/**
 * Hands trials to workers and hears back from them: lease, heartbeat (with early termination),
 * complete (optionally with the next lease for the same worker), fail, and the reaper that requeues
 * trials whose lease expired.
 *
 * <p>Exactly one result per trial: every report ends the attempt with a conditional update of an
 * ACTIVE attempt, so once the reaper has expired an attempt, a late report from its worker finds
 * nothing to update and is rejected ({@link LeaseLostException}, HTTP 409). The {@link Dispatcher}
 * picks the next trial in memory and the lease takes it with a conditional QUEUED → RUNNING update,
 * so two workers never share a trial. Active leases are also kept in memory ({@link LiveLease}), so
 * a heartbeat reads nothing back: it extends the lease in the store (the expiry there is the truth:
 * the reaper expires an attempt only with a conditional update on it) and writes the epochs it
 * brings. Leases found active in the store after a restart are taken over with a grace of one
 * lease. A worker's reports should reach the orchestrator process that leased its trial (one
 * process, or sticky routing): the dispatcher's running counts are per process.
 *
 * <p>Each of these transactions sends its writes as one {@link Script} (one round trip on
 * PostgreSQL) and reads the conditional updates' counts afterwards: when a condition did not hold,
 * it throws (or marks the transaction for rollback), so the writes that went with it do not stay.
 */
@ApplicationScoped
public class LeaseService {
  private static final Logger LOG = Logger.getLogger(LeaseService.class);

  private final SweepRepository sweeps;
  private final TrialRepository trials;
  private final AttemptRepository attempts;
  private final MetricRepository metrics;
  private final Database db;
  private final SweepService sweepService;
  private final TrialTermination termination;
  private final LeaseSettings settings;
  private final SweepTracking tracking;
  private final Dispatcher dispatcher;
  private final Map<String, LiveLease> live = new ConcurrentHashMap<>();
  private final Set<String> doneChecksLeft = ConcurrentHashMap.newKeySet();
  private volatile boolean takenOver;

  LeaseService(
      SweepRepository sweeps,
      TrialRepository trials,
      AttemptRepository attempts,
      MetricRepository metrics,
      Database db,
      SweepService sweepService,
      TrialTermination termination,
      LeaseSettings settings,
      SweepTracking tracking,
      Dispatcher dispatcher) {
    this.sweeps = sweeps;
    this.trials = trials;
    this.attempts = attempts;
    this.metrics = metrics;
    this.db = db;
    this.sweepService = sweepService;
    this.termination = termination;
    this.settings = settings;
    this.tracking = tracking;
    this.dispatcher = dispatcher;
  }

  /** Leases the next trial to a worker, or empty when no trial is ready. */
  public Optional<Lease> lease(LeaseRequest worker) {
    return leaseForWire(worker).map(WireLease::toLease);
  }

  /** Like {@link #lease}, with the trial spec as stored JSON (for the REST API). */
  public Optional<WireLease> leaseForWire(LeaseRequest worker) {
    if (worker.workerId() == null || worker.workerId().isBlank()) {
      throw new IllegalArgumentException("worker_id is required");
    }
    // The widths of the attempt's columns: a longer value is refused, not cut (it names a worker).
    atMost("worker_id", worker.workerId(), 200);
    atMost("host", worker.host(), 200);
    atMost("device", worker.device(), 60);
    while (true) {
      Optional<Dispatcher.Claim> claim = dispatcher.claim();
      if (claim.isEmpty()) {
        return Optional.empty();
      }
      Started started = null;
      try {
        started = QuarkusTransaction.requiringNew().call(() -> start(claim.get(), worker));
      } finally {
        dispatcher.settle(claim.get(), started != null);
      }
      if (started != null) {
        live.put(started.live().leaseId, started.live());
        return Optional.of(started.lease());
      }
      // The claimed trial was no longer queued (cancelled, or taken): claim another.
    }
  }

  private record Started(LiveLease live, WireLease lease) {}

  /**
   * Starts the claimed trial as the dispatcher read it (no read back: the update is conditional on
   * the attempt count read), or returns null when it is no longer queued as read. The start and the
   * attempt's insert go as one script; the insert is conditional on the start, so when the trial
   * was not started, neither wrote anything.
   */
  private Started start(Dispatcher.Claim claim, LeaseRequest worker) {
    PendingStart pending = new PendingStart(claim, worker);
    Script script = new Script();
    pending.addTo(script);
    return pending.outcome(db.run(script));
  }

  /**
   * A claimed trial's start, prepared: {@link #addTo} adds its two statements to a script, {@link
   * #outcome} reads their counts once the script ran and, when the trial started, builds its lease
   * in the same transaction (the sweep's tracking settings may note its MLflow parent run in the
   * store); a failure there rolls back the start and whatever went with it.
   */
  private final class PendingStart {
    private final Dispatcher.Claim claim;
    private final long now = System.currentTimeMillis();
    private final AttemptRecord attempt;
    private int started = -1;
    private int inserted = -1;

    PendingStart(Dispatcher.Claim claim, LeaseRequest worker) {
      this.claim = claim;
      this.attempt =
          new AttemptRecord(
              UUID.randomUUID().toString(),
              claim.trialId(),
              claim.trial().attempts() + 1,
              worker.workerId(),
              worker.host(),
              worker.device(),
              AttemptState.ACTIVE,
              now + settings.seconds() * 1000L,
              now,
              null,
              null);
    }

    void addTo(Script script) {
      TrialRepository.Queued trial = claim.trial();
      started = trials.start(script, trial.id(), trial.attempts(), now);
      inserted = attempts.insertIfStarted(script, attempt);
    }

    /** The lease, or null when the trial was no longer queued as read (nothing was written). */
    Started outcome(int[] counts) {
      TrialRepository.Queued trial = claim.trial();
      if (counts[started] != counts[inserted]) {
        // Cannot happen (each start inserts its attempt); throwing rolls both back.
        throw new IllegalStateException(
            "trial " + trial.id() + ": start and attempt insert disagree " + counts[started]);
      }
      if (counts[started] == 0) {
        return null;
      }
      LOG.debugf(
          "trial %s #%d attempt %d leased to %s",
          claim.sweepName(), trial.number(), attempt.number(), attempt.workerId());
      SweepRecord sweep = sweeps.find(claim.sweepId()).orElseThrow();
      MlflowTracking mlflow = tracking.forLease(sweep, sweepService.spec(sweep));
      WireLease lease =
          new WireLease(
              attempt.id(),
              claim.trialId(),
              attempt.number(),
              claim.sweepId(),
              claim.sweepName(),
              trial.configHash(),
              trial.specJson(),
              settings.seconds(),
              settings.heartbeatSeconds(),
              mlflow);
      return new Started(
          new LiveLease(
              attempt.id(),
              claim.trialId(),
              claim.sweepId(),
              trial.number(),
              attempt.number(),
              attempt.workerId(),
              attempt.host(),
              attempt.device(),
              LeaseTerms.of(claim.trialId(), trial.specJson()),
              attempt.leaseExpiresAt()),
          lease);
    }
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
    LiveLease lease = liveLease(leaseId);
    synchronized (lease) {
      if (lease.ended) {
        throw lost(leaseId);
      }
      refuseUnfit(leaseId, "heartbeat", ReportCheck.ofEpochs(lease.terms, beat.epochs(), "epochs"));
      long now = System.currentTimeMillis();
      long expires = now + settings.seconds() * 1000L;
      SweepRecord sweep = sweeps.find(lease.sweepId).orElseThrow();
      int before = lease.epochsDone;
      List<EpochMetrics> fresh = beat.epochs().stream().filter(e -> e.epoch() > before).toList();
      // Progress goes to a copy first: the live lease moves on only once the store has it.
      LiveLease after = copy(lease);
      Optional<String> prune;
      try {
        prune =
            QuarkusTransaction.requiringNew()
                .call(
                    () -> {
                      // The expiry in the store is the truth: a reaper elsewhere reads it.
                      Script script = new Script();
                      int extended = attempts.extend(script, leaseId, expires);
                      if (!fresh.isEmpty()) {
                        record(script, after, sweep, fresh, now);
                        trials.progress(
                            script,
                            lease.trialId,
                            after.objective,
                            after.bestEpoch,
                            after.epochsDone);
                      }
                      if (db.run(script)[extended] != 1) {
                        // Rolls back the epochs and progress that went with it.
                        throw new LeaseLostException(leaseId, "it ended in the store");
                      }
                      if (fresh.isEmpty()) {
                        return Optional.<String>empty();
                      }
                      if (lease.stopRequested != null || sweep.state() != SweepState.RUNNING) {
                        return Optional.<String>empty();
                      }
                      Optional<String> why =
                          termination.shouldPrune(sweep, lease.trialId, before + 1);
                      why.ifPresent(w -> trials.requestStop(lease.trialId, "pruned", w));
                      return why;
                    });
      } catch (LeaseLostException e) {
        lease.ended = true;
        live.remove(leaseId);
        throw lost(leaseId);
      }
      lease.expiresAt = expires;
      lease.epochsDone = after.epochsDone;
      lease.objective = after.objective;
      lease.bestEpoch = after.bestEpoch;
      if (lease.stopRequested != null) {
        return HeartbeatReply.stop(lease.stopRequested, settings.seconds());
      }
      if (sweep.state() != SweepState.RUNNING) {
        // Ending the sweep asked its running trials to stop in the store already.
        lease.stopRequested =
            sweep.state() == SweepState.CANCELLED ? "cancelled" : "sweep_finished";
        QuarkusTransaction.requiringNew()
            .run(
                () ->
                    trials.requestStop(
                        lease.trialId,
                        lease.stopRequested,
                        "sweep " + sweep.state().name().toLowerCase()));
        return HeartbeatReply.stop(lease.stopRequested, settings.seconds());
      }
      if (prune.isPresent()) {
        lease.stopRequested = "pruned";
        LOG.infof("sweep %s trial #%d pruned: %s", sweep.name(), lease.trialNumber, prune.get());
        return HeartbeatReply.stop("pruned", settings.seconds());
      }
      return HeartbeatReply.proceed(settings.seconds());
    }
  }

  /**
   * Adds to the script the epochs after the last stored one and moves the lease's best objective
   * and epoch count on (of a copy of the live lease: the live one moves once the script's
   * transaction committed).
   */
  private void record(
      Script script, LiveLease lease, SweepRecord sweep, List<EpochMetrics> epochs, long now) {
    List<EpochMetrics> added =
        metrics.addAfter(script, lease.trialId, lease.attempt, lease.epochsDone, epochs, now);
    if (added.isEmpty()) {
      return;
    }
    var best = Objectives.best(Metric.parse(sweep.objectiveMetric()), sweep.maximize(), added);
    if (best != null
        && (lease.objective == null
            || Objectives.oriented(best.value(), sweep.maximize())
                > Objectives.oriented(lease.objective, sweep.maximize()))) {
      lease.objective = best.value();
      lease.bestEpoch = best.epoch();
    }
    lease.epochsDone = added.get(added.size() - 1).epoch();
  }

  /**
   * Records the trial's result: COMPLETED, or PRUNED / CANCELLED when it was told to stop.
   *
   * @throws LeaseLostException when the lease is not active (e.g. a late report after expiry)
   * @throws InvalidReportException when the result does not fit the lease (another trial's, more
   *     epochs than planned, a figure out of range; see {@link ReportCheck}); nothing is stored
   */
  public void complete(String leaseId, TrialResult result) {
    LiveLease lease = liveLease(leaseId);
    synchronized (lease) {
      if (lease.ended) {
        throw lost(leaseId);
      }
      refuseUnfit(leaseId, "result", ReportCheck.ofResult(lease.terms, result));
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
  public Optional<WireLease> completeAndLease(String leaseId, TrialResult result) {
    LiveLease done = liveLease(leaseId);
    Started next = null;
    synchronized (done) {
      if (done.ended) {
        throw lost(leaseId);
      }
      refuseUnfit(leaseId, "result", ReportCheck.ofResult(done.terms, result));
      Optional<Dispatcher.Claim> claim;
      try {
        claim = dispatcher.claimInPlaceOf(done.sweepId);
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
      live.put(next.live().leaseId, next.live());
      return Optional.of(next.lease());
    }
    try {
      return leaseForWire(done.worker());
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
  private Started completeLease(LiveLease lease, TrialResult result, Dispatcher.Claim claim) {
    // Work on a copy: the live lease changes only once the result is in the store.
    LiveLease after = copy(lease);
    Started[] next = {null};
    endLease(
        lease,
        () -> {
          long now = System.currentTimeMillis();
          SweepRecord sweep = sweeps.find(lease.sweepId).orElseThrow();
          PendingStart start = claim == null ? null : new PendingStart(claim, lease.worker());
          Script script = new Script();
          int ended = attempts.end(script, lease.leaseId, AttemptState.COMPLETED, null, now);
          record(script, after, sweep, result.epochs(), now);
          String stop = after.stopRequested;
          if (stop == null && sweep.state() != SweepState.RUNNING) {
            stop = sweep.state() == SweepState.CANCELLED ? "cancelled" : "sweep_finished";
          }
          TrialState state =
              stop == null
                  ? TrialState.COMPLETED
                  : stop.equals("pruned") ? TrialState.PRUNED : TrialState.CANCELLED;
          trials.finish(
              script,
              lease.trialId,
              state,
              after.objective,
              after.bestEpoch,
              after.epochsDone,
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
              sweep.id(), new EndedTrial(lease.trialNumber, state, after.objective, null));
          return false;
        });
    return next[0];
  }

  /**
   * Records a failed attempt: the trial is queued again while retries remain and the failure is
   * retryable, else it fails.
   *
   * @throws LeaseLostException when the lease is not active
   */
  public void fail(String leaseId, Failure failure) {
    LiveLease lease = liveLease(leaseId);
    synchronized (lease) {
      if (lease.ended) {
        throw lost(leaseId);
      }
      String reason = failure.reason() == null ? "no reason given" : failure.reason();
      endLease(
          lease,
          () -> {
            long now = System.currentTimeMillis();
            if (!attempts.end(leaseId, AttemptState.FAILED, reason, now)) {
              throw new LeaseLostException(leaseId, "it ended while this report was on its way");
            }
            return endAttempt(
                lease.trialId,
                "attempt " + lease.attempt + " failed: " + reason,
                failure.retryable(),
                now);
          });
    }
  }

  /**
   * Takes back a trial its worker gave back unfinished because it is stopping: queued again at
   * once, without using a retry (unless a stop was asked for or the sweep ended meanwhile).
   *
   * @throws LeaseLostException when the lease is not active
   */
  public void handBack(String leaseId, HandBack handBack) {
    LiveLease lease = liveLease(leaseId);
    synchronized (lease) {
      if (lease.ended) {
        throw lost(leaseId);
      }
      String reason = handBack.reason() == null ? "no reason given" : handBack.reason();
      endLease(
          lease,
          () -> {
            long now = System.currentTimeMillis();
            if (!attempts.end(leaseId, AttemptState.HANDED_BACK, reason, now)) {
              throw new LeaseLostException(leaseId, "it ended while this report was on its way");
            }
            return endAttempt(
                lease.trialId, "attempt " + lease.attempt + " handed back: " + reason, true, now);
          });
    }
  }

  /** Puts the trials of expired leases back in the queue (or fails them); runs every second. */
  @Scheduled(
      every = "${thaw.leases.reap-every:1s}",
      executeWith = Scheduled.SIMPLE, // in memory on every replica, not a Quartz job in the store
      concurrentExecution = Scheduled.ConcurrentExecution.SKIP)
  public void reapExpired() {
    if (!takenOver) {
      takeOver();
    }
    doneChecksLeft.forEach(this::checkDone);
    long now = System.currentTimeMillis();
    for (LiveLease lease : live.values()) {
      if (lease.expiresAt >= now) {
        continue;
      }
      synchronized (lease) {
        if (lease.ended || lease.expiresAt >= now) {
          continue;
        }
        try {
          endLease(
              lease,
              () -> {
                if (!attempts.expire(lease.leaseId, "no heartbeat in time", now)) {
                  // Ended, or extended, by another orchestrator process on the same store.
                  throw new LeaseLostException(lease.leaseId, "not expired in the store");
                }
                LOG.warnf(
                    "lease %s of trial %s expired (worker %s on %s silent)",
                    lease.leaseId, lease.trialId, lease.workerId, lease.host);
                return endAttempt(
                    lease.trialId,
                    "attempt "
                        + lease.attempt
                        + " lost: worker "
                        + lease.workerId
                        + " sent no heartbeat for "
                        + settings.seconds()
                        + " s",
                    true,
                    now);
              });
          // Its MLflow child run is marked FAILED, in the background.
          tracking.attemptLost(lease.leaseId, lease.trialId, lease.attempt, lease.workerId);
        } catch (LeaseLostException e) {
          LOG.debugf("lease %s: %s", lease.leaseId, e.getMessage());
        }
      }
    }
  }

  /**
   * Ends an attempt in one transaction ({@code ending} returns whether its trial was queued again),
   * then drops the live lease and tells the dispatcher that the trial left RUNNING. A lease found
   * already ended in the store is dropped too.
   */
  private void endLease(LiveLease lease, java.util.concurrent.Callable<Boolean> ending) {
    boolean requeued;
    try {
      requeued = QuarkusTransaction.requiringNew().call(ending);
    } catch (LeaseLostException e) {
      forgetIfEnded(lease);
      throw e;
    }
    lease.ended = true;
    live.remove(lease.leaseId);
    boolean maybeDone = dispatcher.released(lease.sweepId);
    if (requeued) {
      dispatcher.queued(lease.sweepId);
    } else if (maybeDone) {
      // Checked after commit, not inside the transaction: there, a trial that another transaction
      // was ending at the same time would still look running (the last two trials ending
      // together would each see the other, and the sweep would never complete).
      checkDone(lease.sweepId);
    }
  }

  /**
   * Completes the sweep if it is done; if the check fails, the reaper tries again. The attempt's
   * end is committed: the report that ended it must not fail now.
   */
  private void checkDone(String sweepId) {
    try {
      sweepService.completeIfDone(sweepId);
      doneChecksLeft.remove(sweepId);
    } catch (RuntimeException e) {
      doneChecksLeft.add(sweepId);
      LOG.errorf(e, "sweep %s: checking whether it is done failed; retried in a second", sweepId);
    }
  }

  /**
   * After an attempt failed or expired: requeue, fail, or end the trial as it was asked to.
   *
   * @return true if the trial was queued again
   */
  private boolean endAttempt(String trialId, String reason, boolean retryable, long now) {
    TrialRecord trial = trials.find(trialId).orElseThrow();
    SweepRecord sweep = sweeps.find(trial.sweepId()).orElseThrow();
    TrialState state;
    String why;
    if (trial.stopRequested() != null) {
      state = trial.stopRequested().equals("pruned") ? TrialState.PRUNED : TrialState.CANCELLED;
      why = trial.reason() + "; " + reason;
    } else if (retryable && failedAttempts(trial) <= sweep.retries() && !sweep.state().ended()) {
      trials.requeue(trial.id(), reason);
      return true;
    } else {
      state = TrialState.FAILED;
      why =
          retryable
              ? reason + " (retries spent: " + failedAttempts(trial) + " failed attempts)"
              : reason + " (not retryable)";
    }
    trials.end(trial.id(), state, why, now);
    sweepService.afterTrialEnded(
        sweep.id(), new EndedTrial(trial.number(), state, trial.objective(), why));
    return false;
  }

  /** The trial's attempts that used a try: every one but those handed back by a stopping worker. */
  private int failedAttempts(TrialRecord trial) {
    return trial.attempts() - attempts.countOf(trial.id(), AttemptState.HANDED_BACK);
  }

  /**
   * After a report or the reaper found the attempt not as expected in the store: drops the live
   * lease if it ended there, else takes the store's expiry (another orchestrator process on the
   * same store extended it).
   */
  private void forgetIfEnded(LiveLease lease) {
    Optional<AttemptRecord> stored =
        QuarkusTransaction.requiringNew().call(() -> attempts.find(lease.leaseId));
    if (stored.isPresent() && stored.get().state() == AttemptState.ACTIVE) {
      lease.expiresAt = stored.get().leaseExpiresAt();
    } else {
      lease.ended = true;
      live.remove(lease.leaseId);
    }
  }

  /** The live lease, taken over from the store if it is active there but not known here. */
  private LiveLease liveLease(String leaseId) {
    LiveLease known = live.get(leaseId);
    if (known != null) {
      return known;
    }
    LiveLease found =
        QuarkusTransaction.requiringNew()
            .call(() -> fromStore(activeAttempt(leaseId), System.currentTimeMillis()));
    LiveLease raced = live.putIfAbsent(leaseId, found);
    return raced != null ? raced : found;
  }

  /**
   * Takes over the leases active in the store (after a restart), each with a fresh expiry so their
   * workers have a full lease to reach this process.
   */
  private void takeOver() {
    long now = System.currentTimeMillis();
    List<LiveLease> found =
        QuarkusTransaction.requiringNew()
            .call(() -> attempts.active().stream().map(a -> fromStore(a, now)).toList());
    found.forEach(l -> live.putIfAbsent(l.leaseId, l));
    if (!found.isEmpty()) {
      LOG.infof("took over %d active leases from the store", found.size());
    }
    takenOver = true;
  }

  private LiveLease fromStore(AttemptRecord attempt, long now) {
    TrialRecord trial = trials.find(attempt.trialId()).orElseThrow();
    LiveLease lease =
        new LiveLease(
            attempt.id(),
            trial.id(),
            trial.sweepId(),
            trial.number(),
            attempt.number(),
            attempt.workerId(),
            attempt.host(),
            attempt.device(),
            LeaseTerms.of(trial.id(), trial.specJson()),
            now + settings.seconds() * 1000L);
    lease.epochsDone = metrics.lastEpoch(trial.id(), attempt.number());
    if (lease.epochsDone > 0) {
      lease.objective = trial.objective();
      lease.bestEpoch = trial.bestEpoch();
    }
    lease.stopRequested = trial.stopRequested();
    return lease;
  }

  private static LiveLease copy(LiveLease l) {
    LiveLease c =
        new LiveLease(
            l.leaseId,
            l.trialId,
            l.sweepId,
            l.trialNumber,
            l.attempt,
            l.workerId,
            l.host,
            l.device,
            l.terms,
            0);
    c.epochsDone = l.epochsDone;
    c.objective = l.objective;
    c.bestEpoch = l.bestEpoch;
    c.stopRequested = l.stopRequested;
    return c;
  }

  private static void atMost(String field, String value, int max) {
    if (value != null && value.length() > max) {
      throw new IllegalArgumentException(
          field + ": at most " + max + " characters (got " + value.length() + ")");
    }
  }

  private static void refuseUnfit(String leaseId, String what, List<String> problems) {
    if (!problems.isEmpty()) {
      LOG.warnf("lease %s: %s refused: %s", leaseId, what, String.join("; ", problems));
      throw new InvalidReportException(leaseId, what, problems);
    }
  }

  /** Why a lease that ended here is refused, from the store. */
  private LeaseLostException lost(String leaseId) {
    AttemptRecord a = QuarkusTransaction.requiringNew().call(() -> activeAttempt(leaseId));
    return new LeaseLostException(a.id(), "it ended while this report was on its way");
  }

  private AttemptRecord activeAttempt(String leaseId) {
    AttemptRecord a =
        attempts.find(leaseId).orElseThrow(() -> new LeaseLostException(leaseId, "unknown lease"));
    if (a.state() != AttemptState.ACTIVE) {
      throw new LeaseLostException(
          leaseId,
          "it is "
              + a.state().name().toLowerCase()
              + (a.reason() == null ? "" : " (" + a.reason() + ")"));
    }
    return a;
  }

  private static String json(Object value) {
    try {
      return ThawJson.mapper().writeValueAsString(value);
    } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
      throw new IllegalStateException(e);
    }
  }
}
