package dev.thaw.orchestrator.leases;

import dev.thaw.orchestrator.mlflow.SweepRuns;
import dev.thaw.orchestrator.store.AttemptRecord;
import dev.thaw.orchestrator.store.AttemptRepository;
import dev.thaw.orchestrator.store.AttemptState;
import dev.thaw.orchestrator.store.Database;
import dev.thaw.orchestrator.store.Script;
import dev.thaw.orchestrator.store.SweepRecord;
import dev.thaw.orchestrator.store.SweepRepository;
import dev.thaw.orchestrator.store.TrialRepository;
import dev.thaw.orchestrator.sweeps.SweepService;
import dev.thaw.protocol.LeaseRequest;
import dev.thaw.protocol.MlflowTracking;
import io.quarkus.narayana.jta.QuarkusTransaction;
import jakarta.enterprise.context.ApplicationScoped;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;
import org.jboss.logging.Logger;

/**
 * Leases trials to workers. The {@link Dispatcher} picks the next trial in memory and the lease
 * takes it with a conditional QUEUED → RUNNING update, so two workers never share a trial. The
 * start and the attempt's insert go as one {@link Script} (one round trip on PostgreSQL), the
 * counts read afterwards; a complete-and-lease adds the same two statements to its result's script
 * ({@link #prepare}).
 */
@ApplicationScoped
class LeaseGranter {
  private static final Logger LOG = Logger.getLogger(LeaseGranter.class);

  private final SweepRepository sweeps;
  private final TrialRepository trials;
  private final AttemptRepository attempts;
  private final Database db;
  private final SweepService sweepService;
  private final LeaseSettings settings;
  private final SweepRuns sweepRuns;
  private final Dispatcher dispatcher;
  private final LiveLeases live;
  private final WorkerCaches caches;

  LeaseGranter(
      SweepRepository sweeps,
      TrialRepository trials,
      AttemptRepository attempts,
      Database db,
      SweepService sweepService,
      LeaseSettings settings,
      SweepRuns sweepRuns,
      Dispatcher dispatcher,
      LiveLeases live,
      WorkerCaches caches) {
    this.caches = caches;
    this.sweeps = sweeps;
    this.trials = trials;
    this.attempts = attempts;
    this.db = db;
    this.sweepService = sweepService;
    this.settings = settings;
    this.sweepRuns = sweepRuns;
    this.dispatcher = dispatcher;
    this.live = live;
  }

  /** Leases the next trial to a worker, with the trial spec as stored JSON; empty when none. */
  Optional<WireLease> lease(LeaseRequest worker) {
    if (worker.workerId() == null || worker.workerId().isBlank()) {
      throw new IllegalArgumentException("worker_id is required");
    }
    // The widths of the attempt's columns: a longer value is refused, not cut (it names a worker).
    atMost("worker_id", worker.workerId(), 200);
    atMost("host", worker.host(), 200);
    atMost("device", worker.device(), 60);
    WorkerCaches.check("cached_prefixes", worker.cachedPrefixes());
    caches.report(worker.workerId(), worker.cachedPrefixes());
    Set<String> held = caches.of(worker.workerId());
    while (true) {
      Optional<Dispatcher.Claim> claim = dispatcher.claim(held);
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
        live.add(started.live());
        return Optional.of(started.lease());
      }
      // The claimed trial was no longer queued (cancelled, or taken): claim another.
    }
  }

  /** A started trial's lease: as kept in memory, and as sent to its worker. */
  record Started(LiveLease live, WireLease lease) {}

  /**
   * Starts the claimed trial as the dispatcher read it (no read back: the update is conditional on
   * the attempt count read), or returns null when it is no longer queued as read. The start and the
   * attempt's insert go as one script; the insert is conditional on the start, so when the trial
   * was not started, neither wrote anything.
   */
  private Started start(Dispatcher.Claim claim, LeaseRequest worker) {
    PendingStart pending = prepare(claim, worker);
    Script script = new Script();
    pending.addTo(script);
    return pending.outcome(db.run(script));
  }

  /** The start of a claimed trial for the worker, to add to a script. */
  PendingStart prepare(Dispatcher.Claim claim, LeaseRequest worker) {
    return new PendingStart(claim, worker);
  }

  /**
   * A claimed trial's start, prepared: {@link #addTo} adds its two statements to a script, {@link
   * #outcome} reads their counts once the script ran and, when the trial started, builds its lease
   * in the same transaction (the sweep's tracking settings may note its MLflow parent run in the
   * store); a failure there rolls back the start and whatever went with it.
   */
  final class PendingStart {
    private final Dispatcher.Claim claim;
    private final long now = System.currentTimeMillis();
    private final AttemptRecord attempt;
    private int started = -1;
    private int inserted = -1;

    private PendingStart(Dispatcher.Claim claim, LeaseRequest worker) {
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
      MlflowTracking mlflow = sweepRuns.forLease(sweep, sweepService.spec(sweep));
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
          LiveLease.started(attempt, claim.sweepId(), trial.number(), trial.specJson()), lease);
    }
  }

  private static void atMost(String field, String value, int max) {
    if (value != null && value.length() > max) {
      throw new IllegalArgumentException(
          field + ": at most " + max + " characters (got " + value.length() + ")");
    }
  }
}
