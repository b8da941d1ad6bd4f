package dev.thaw.orchestrator.leases;

import dev.thaw.api.SweepState;
import dev.thaw.orchestrator.metrics.WorkerMetrics;
import dev.thaw.orchestrator.store.AttemptRepository;
import dev.thaw.orchestrator.store.Database;
import dev.thaw.orchestrator.store.MetricRepository;
import dev.thaw.orchestrator.store.Script;
import dev.thaw.orchestrator.store.SweepRecord;
import dev.thaw.orchestrator.store.SweepRepository;
import dev.thaw.orchestrator.store.TrialRepository;
import dev.thaw.protocol.Heartbeat;
import dev.thaw.protocol.HeartbeatReply;
import dev.thaw.protocol.StopRequest;
import dev.thaw.trial.EpochMetrics;
import io.quarkus.narayana.jta.QuarkusTransaction;
import jakarta.enterprise.context.ApplicationScoped;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.jboss.logging.Logger;

/**
 * Hears heartbeats: extends the lease, stores the epochs a heartbeat brings, and tells the worker
 * whether to go on, with early termination ({@link TrialTermination}). The live lease ({@link
 * LiveLease}) holds the progress, so a heartbeat reads nothing back: it extends the lease in the
 * store (the expiry there is the truth: the reaper expires an attempt only with a conditional
 * update on it) and writes its epochs in the same {@link Script} (one round trip on PostgreSQL).
 * When the extension's condition did not hold, the transaction throws and the epochs that went with
 * it do not stay.
 */
@ApplicationScoped
class HeartbeatHandler {
  private static final Logger LOG = Logger.getLogger(HeartbeatHandler.class);

  private final SweepRepository sweeps;
  private final TrialRepository trials;
  private final AttemptRepository attempts;
  private final MetricRepository metrics;
  private final Database db;
  private final TrialTermination termination;
  private final LeaseSettings settings;
  private final LiveLeases live;
  private final WorkerCaches caches;
  private final WorkerMetrics workers;

  HeartbeatHandler(
      SweepRepository sweeps,
      TrialRepository trials,
      AttemptRepository attempts,
      MetricRepository metrics,
      Database db,
      TrialTermination termination,
      LeaseSettings settings,
      LiveLeases live,
      WorkerCaches caches,
      WorkerMetrics workers) {
    this.caches = caches;
    this.workers = workers;
    this.sweeps = sweeps;
    this.trials = trials;
    this.attempts = attempts;
    this.metrics = metrics;
    this.db = db;
    this.termination = termination;
    this.settings = settings;
    this.live = live;
  }

  /**
   * Extends the lease, stores new epochs, and says whether to go on: stop when the sweep was
   * cancelled or finished, or when the early-termination rule prunes the trial.
   *
   * @throws LeaseLostException when the lease is not active
   * @throws InvalidReportException when an epoch does not fit the lease (see {@link ReportCheck});
   *     nothing is stored and the lease is not extended
   */
  HeartbeatReply heartbeat(String leaseId, Heartbeat beat) {
    LiveLease lease = live.find(leaseId);
    synchronized (lease) {
      live.refuseIfEnded(lease);
      List<String> problems =
          new ArrayList<>(ReportCheck.ofEpochs(lease.terms, beat.epochs(), "epochs"));
      problems.addAll(ReportCheck.ofWorkerFigures(beat));
      ReportCheck.refuseUnfit(leaseId, "heartbeat", problems);
      WorkerCaches.check("cached_prefixes", beat.cachedPrefixes());
      caches.report(lease.workerId, beat.cachedPrefixes());
      workers.heartbeat(lease.workerId, beat);
      long now = System.currentTimeMillis();
      long expires = now + settings.seconds() * 1000L;
      SweepRecord sweep = sweeps.find(lease.sweepId).orElseThrow();
      int before = lease.epochsDone();
      List<EpochMetrics> fresh = beat.epochs().stream().filter(e -> e.epoch() > before).toList();
      // Progress goes to a copy first: the live lease moves on only once the store has it.
      LiveLease after = lease.copy();
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
                        after.record(script, metrics, sweep, fresh, now);
                        trials.progress(
                            script,
                            lease.trialId,
                            after.objective(),
                            after.bestEpoch(),
                            after.epochsDone());
                      }
                      if (db.run(script)[extended] != 1) {
                        // Rolls back the epochs and progress that went with it.
                        throw new LeaseLostException(leaseId, "it ended in the store");
                      }
                      if (fresh.isEmpty()) {
                        return Optional.<String>empty();
                      }
                      if (lease.stopRequested() != null || sweep.state() != SweepState.RUNNING) {
                        return Optional.<String>empty();
                      }
                      Optional<String> why =
                          termination.shouldPrune(sweep, lease.trialId, before + 1);
                      why.ifPresent(w -> trials.requestStop(lease.trialId, StopRequest.PRUNED, w));
                      return why;
                    });
      } catch (LeaseLostException e) {
        live.forget(lease);
        throw live.lost(leaseId);
      }
      lease.moveOn(after, expires);
      if (lease.stopRequested() != null) {
        return HeartbeatReply.stop(lease.stopRequested(), settings.seconds());
      }
      if (sweep.state() != SweepState.RUNNING) {
        // Ending the sweep asked its running trials to stop in the store already.
        StopRequest why = StopRequest.ofEndedSweep(sweep.state());
        lease.requestStop(why);
        QuarkusTransaction.requiringNew()
            .run(
                () ->
                    trials.requestStop(
                        lease.trialId, why, "sweep " + sweep.state().name().toLowerCase()));
        return HeartbeatReply.stop(why, settings.seconds());
      }
      if (prune.isPresent()) {
        lease.requestStop(StopRequest.PRUNED);
        LOG.infof("sweep %s trial #%d pruned: %s", sweep.name(), lease.trialNumber, prune.get());
        return HeartbeatReply.stop(StopRequest.PRUNED, settings.seconds());
      }
      return HeartbeatReply.proceed(settings.seconds());
    }
  }
}
