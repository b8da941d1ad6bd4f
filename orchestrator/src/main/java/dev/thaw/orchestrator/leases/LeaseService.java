package dev.thaw.orchestrator.leases;

import dev.thaw.json.ThawJson;
import dev.thaw.orchestrator.store.AttemptRecord;
import dev.thaw.orchestrator.store.AttemptRepository;
import dev.thaw.orchestrator.store.AttemptState;
import dev.thaw.orchestrator.store.Database;
import dev.thaw.orchestrator.store.MetricRepository;
import dev.thaw.orchestrator.store.SweepRecord;
import dev.thaw.orchestrator.store.SweepRepository;
import dev.thaw.orchestrator.store.TrialRecord;
import dev.thaw.orchestrator.store.TrialRepository;
import dev.thaw.orchestrator.sweeps.Objectives;
import dev.thaw.orchestrator.sweeps.SweepService;
import dev.thaw.orchestrator.tracking.SweepTracking;
import dev.thaw.sweep.api.SweepState;
import dev.thaw.sweep.api.TrialState;
import dev.thaw.trial.EpochMetrics;
import dev.thaw.trial.Metric;
import dev.thaw.trial.TrialResult;
import dev.thaw.trial.TrialSpec;
import dev.thaw.worker.protocol.Failure;
import dev.thaw.worker.protocol.Heartbeat;
import dev.thaw.worker.protocol.HeartbeatReply;
import dev.thaw.worker.protocol.Lease;
import dev.thaw.worker.protocol.LeaseRequest;
import io.quarkus.narayana.jta.QuarkusTransaction;
import io.quarkus.scheduler.Scheduled;
import jakarta.enterprise.context.ApplicationScoped;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.locks.ReentrantLock;
import org.jboss.logging.Logger;

/**
 * Hands trials to workers and hears back from them: lease, heartbeat (with early termination),
 * complete, fail, and the reaper that requeues trials whose lease expired.
 *
 * <p>Exactly one result per trial: every report is a conditional update of an ACTIVE attempt, so
 * once the reaper has expired an attempt, a late report from its worker finds nothing to update and
 * is rejected ({@link LeaseLostException}, HTTP 409). Leasing is serialised in this JVM so that
 * {@code parallel_trials} holds exactly; the conditional QUEUED → RUNNING update keeps two workers
 * from ever sharing a trial even without the lock.
 */
@ApplicationScoped
public class LeaseService {
  private static final Logger LOG = Logger.getLogger(LeaseService.class);

  private final Database db;
  private final SweepRepository sweeps;
  private final TrialRepository trials;
  private final AttemptRepository attempts;
  private final MetricRepository metrics;
  private final SweepService sweepService;
  private final TrialTermination termination;
  private final LeaseSettings settings;
  private final SweepTracking tracking;
  private final ReentrantLock leaseLock = new ReentrantLock();

  LeaseService(
      Database db,
      SweepRepository sweeps,
      TrialRepository trials,
      AttemptRepository attempts,
      MetricRepository metrics,
      SweepService sweepService,
      TrialTermination termination,
      LeaseSettings settings,
      SweepTracking tracking) {
    this.db = db;
    this.sweeps = sweeps;
    this.trials = trials;
    this.attempts = attempts;
    this.metrics = metrics;
    this.sweepService = sweepService;
    this.termination = termination;
    this.settings = settings;
    this.tracking = tracking;
  }

  /** Leases the next trial to a worker, or empty when no trial is ready. */
  public Optional<Lease> lease(LeaseRequest worker) {
    if (worker.workerId() == null || worker.workerId().isBlank()) {
      throw new IllegalArgumentException("worker_id is required");
    }
    leaseLock.lock();
    try {
      return QuarkusTransaction.requiringNew().call(() -> leaseInTransaction(worker));
    } finally {
      leaseLock.unlock();
    }
  }

  private Optional<Lease> leaseInTransaction(LeaseRequest worker) {
    record Candidate(String sweepId, String name, int running, long createdAt) {}
    List<Candidate> candidates =
        db.query(
            """
            SELECT s.id, s.name, s.created_at,
              (SELECT count(*) FROM trial r WHERE r.sweep_id = s.id AND r.state = 'RUNNING') AS running,
              s.parallel_trials
            FROM sweep s
            WHERE s.state = 'RUNNING'
              AND EXISTS (SELECT 1 FROM trial q WHERE q.sweep_id = s.id AND q.state = 'QUEUED')
            """,
            rs ->
                rs.getInt("running") < rs.getInt("parallel_trials")
                    ? new Candidate(
                        rs.getString("id"),
                        rs.getString("name"),
                        rs.getInt("running"),
                        rs.getLong("created_at"))
                    : null);
    // Fair share: the sweep with the fewest running trials first, then the oldest.
    List<Candidate> ordered =
        candidates.stream()
            .filter(java.util.Objects::nonNull)
            .sorted(
                Comparator.comparingInt(Candidate::running)
                    .thenComparingLong(Candidate::createdAt)
                    .thenComparing(Candidate::sweepId))
            .toList();
    long now = System.currentTimeMillis();
    for (Candidate c : ordered) {
      Optional<TrialRecord> queued = trials.firstQueued(c.sweepId());
      if (queued.isEmpty() || !trials.start(queued.get().id(), now)) {
        continue;
      }
      TrialRecord trial = queued.get();
      SweepRecord sweep = sweeps.find(c.sweepId()).orElseThrow();
      int attemptNumber = trial.attempts() + 1;
      AttemptRecord attempt =
          new AttemptRecord(
              UUID.randomUUID().toString(),
              trial.id(),
              attemptNumber,
              worker.workerId(),
              worker.host(),
              worker.device(),
              AttemptState.ACTIVE,
              now + settings.seconds() * 1000L,
              now,
              null,
              null);
      attempts.insert(attempt);
      LOG.debugf(
          "trial %s #%d attempt %d leased to %s",
          c.name(), trial.number(), attempt.number(), worker.workerId());
      return Optional.of(
          new Lease(
              attempt.id(),
              trial.id(),
              attempt.number(),
              c.sweepId(),
              c.name(),
              trial.configHash(),
              TrialSpec.fromJson(trial.specJson(), "trial " + trial.id()),
              settings.seconds(),
              settings.heartbeatSeconds(),
              tracking.forLease(sweep, sweepService.spec(sweep))));
    }
    return Optional.empty();
  }

  /**
   * Extends the lease, stores new epochs, and says whether to go on: stop when the sweep was
   * cancelled or finished, or when the early-termination rule prunes the trial.
   *
   * @throws LeaseLostException when the lease is not active
   */
  public HeartbeatReply heartbeat(String leaseId, Heartbeat beat) {
    return QuarkusTransaction.requiringNew()
        .call(
            () -> {
              AttemptRecord attempt = activeAttempt(leaseId);
              long now = System.currentTimeMillis();
              attempts.extend(leaseId, now + settings.seconds() * 1000L);
              TrialRecord trial = trials.find(attempt.trialId()).orElseThrow();
              SweepRecord sweep = sweeps.find(trial.sweepId()).orElseThrow();
              int before = trial.epochsDone();
              List<EpochMetrics> fresh =
                  beat.epochs().stream().filter(e -> e.epoch() > before).toList();
              int added = metrics.addNew(trial.id(), attempt.number(), fresh, now);
              if (added > 0) {
                var best =
                    Objectives.best(Metric.parse(sweep.objectiveMetric()), sweep.maximize(), fresh);
                boolean better =
                    best != null
                        && (trial.objective() == null
                            || Objectives.oriented(best.value(), sweep.maximize())
                                > Objectives.oriented(trial.objective(), sweep.maximize()));
                trials.progress(
                    trial.id(),
                    better ? best.value() : trial.objective(),
                    better ? best.epoch() : trial.bestEpoch(),
                    fresh.get(fresh.size() - 1).epoch());
              }
              if (trial.stopRequested() != null) {
                return HeartbeatReply.stop(trial.stopRequested(), settings.seconds());
              }
              if (sweep.state() != SweepState.RUNNING) {
                trials.requestStop(trial.id(), "sweep_finished", "sweep " + sweep.state());
                return HeartbeatReply.stop("sweep_finished", settings.seconds());
              }
              if (added > 0) {
                Optional<String> prune = termination.shouldPrune(sweep, trial.id(), before + 1);
                if (prune.isPresent()) {
                  trials.requestStop(trial.id(), "pruned", prune.get());
                  LOG.infof(
                      "sweep %s trial #%d pruned: %s", sweep.name(), trial.number(), prune.get());
                  return HeartbeatReply.stop("pruned", settings.seconds());
                }
              }
              return HeartbeatReply.proceed(settings.seconds());
            });
  }

  /**
   * Records the trial's result: COMPLETED, or PRUNED / CANCELLED when it was told to stop.
   *
   * @throws LeaseLostException when the lease is not active (e.g. a late report after expiry)
   */
  public void complete(String leaseId, TrialResult result) {
    QuarkusTransaction.requiringNew()
        .run(
            () -> {
              AttemptRecord attempt = activeAttempt(leaseId);
              long now = System.currentTimeMillis();
              if (!attempts.end(leaseId, AttemptState.COMPLETED, null, now)) {
                throw new LeaseLostException(leaseId, "it ended while this report was on its way");
              }
              TrialRecord trial = trials.find(attempt.trialId()).orElseThrow();
              SweepRecord sweep = sweeps.find(trial.sweepId()).orElseThrow();
              metrics.addNew(trial.id(), attempt.number(), result.epochs(), now);
              List<EpochMetrics> epochs = metrics.of(trial.id(), attempt.number());
              var best =
                  Objectives.best(Metric.parse(sweep.objectiveMetric()), sweep.maximize(), epochs);
              TrialState state =
                  trial.stopRequested() == null
                      ? TrialState.COMPLETED
                      : trial.stopRequested().equals("pruned")
                          ? TrialState.PRUNED
                          : TrialState.CANCELLED;
              trials.finish(
                  trial.id(),
                  state,
                  best == null ? null : best.value(),
                  best == null ? null : best.epoch(),
                  epochs.size(),
                  json(result),
                  null,
                  now);
              sweepService.afterTrialEnded(sweep.id(), trials.find(trial.id()).orElseThrow());
            });
  }

  /**
   * Records a failed attempt: the trial is queued again while retries remain and the failure is
   * retryable, else it fails.
   *
   * @throws LeaseLostException when the lease is not active
   */
  public void fail(String leaseId, Failure failure) {
    QuarkusTransaction.requiringNew()
        .run(
            () -> {
              AttemptRecord attempt = activeAttempt(leaseId);
              long now = System.currentTimeMillis();
              String reason = failure.reason() == null ? "no reason given" : failure.reason();
              if (!attempts.end(leaseId, AttemptState.FAILED, reason, now)) {
                throw new LeaseLostException(leaseId, "it ended while this report was on its way");
              }
              endAttempt(
                  attempt,
                  "attempt " + attempt.number() + " failed: " + reason,
                  failure.retryable(),
                  now);
            });
  }

  /** Puts the trials of expired leases back in the queue (or fails them); runs every second. */
  @Scheduled(
      every = "${thaw.leases.reap-every:1s}",
      concurrentExecution = Scheduled.ConcurrentExecution.SKIP)
  public void reapExpired() {
    long now = System.currentTimeMillis();
    List<AttemptRecord> expired =
        QuarkusTransaction.requiringNew().call(() -> attempts.expired(now));
    for (AttemptRecord a : expired) {
      QuarkusTransaction.requiringNew()
          .run(
              () -> {
                if (attempts.end(a.id(), AttemptState.EXPIRED, "no heartbeat in time", now)) {
                  LOG.warnf(
                      "lease %s of trial %s expired (worker %s on %s silent)",
                      a.id(), a.trialId(), a.workerId(), a.host());
                  endAttempt(
                      a,
                      "attempt "
                          + a.number()
                          + " lost: worker "
                          + a.workerId()
                          + " sent no heartbeat for "
                          + settings.seconds()
                          + " s",
                      true,
                      now);
                  tracking.attemptLost(a); // marks its MLflow child run FAILED, in the background
                }
              });
    }
  }

  /** After an attempt failed or expired: requeue, fail, or end the trial as it was asked to. */
  private void endAttempt(AttemptRecord attempt, String reason, boolean retryable, long now) {
    TrialRecord trial = trials.find(attempt.trialId()).orElseThrow();
    SweepRecord sweep = sweeps.find(trial.sweepId()).orElseThrow();
    if (trial.stopRequested() != null) {
      trials.end(
          trial.id(),
          trial.stopRequested().equals("pruned") ? TrialState.PRUNED : TrialState.CANCELLED,
          trial.reason() + "; " + reason,
          now);
    } else if (retryable && trial.attempts() <= sweep.retries() && !sweep.state().ended()) {
      trials.requeue(trial.id(), reason);
      return;
    } else {
      String why =
          retryable
              ? reason + " (retries spent: " + trial.attempts() + " attempts)"
              : reason + " (not retryable)";
      trials.end(trial.id(), TrialState.FAILED, why, now);
    }
    sweepService.afterTrialEnded(sweep.id(), trials.find(trial.id()).orElseThrow());
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
