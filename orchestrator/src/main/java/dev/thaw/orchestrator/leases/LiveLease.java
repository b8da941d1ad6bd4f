package dev.thaw.orchestrator.leases;

import dev.thaw.orchestrator.store.AttemptRecord;
import dev.thaw.orchestrator.store.MetricRepository;
import dev.thaw.orchestrator.store.Script;
import dev.thaw.orchestrator.store.SweepRecord;
import dev.thaw.orchestrator.store.TrialRecord;
import dev.thaw.orchestrator.sweeps.Objectives;
import dev.thaw.protocol.LeaseRequest;
import dev.thaw.protocol.StopRequest;
import dev.thaw.trial.EpochMetrics;
import dev.thaw.trial.Metric;
import java.util.List;

/**
 * An active lease as the orchestrator keeps it between reports: who holds which trial, until when,
 * and the attempt's progress so far (so a heartbeat need not read it back from the store), and the
 * worker's id, host and device (a complete-and-lease leases the next trial to them). Reports on one
 * lease are handled one at a time ({@code synchronized} on this object); {@link #ended()} holds
 * once the attempt ended in the store.
 *
 * <p>Progress moves on a {@link #copy()} first ({@link #record}) and reaches the live lease ({@link
 * #moveOn}) only once the store has it, so a report whose transaction rolled back leaves the live
 * lease as it was.
 */
final class LiveLease {
  final String leaseId;
  final String trialId;
  final String sweepId;
  final int trialNumber;
  final int attempt;
  final String workerId;
  final String host;
  final String device;
  final LeaseTerms terms;
  private volatile long expiresAt;
  private volatile boolean ended;
  private int epochsDone;
  private Double objective;
  private Integer bestEpoch;
  private StopRequest stopRequested;

  private LiveLease(
      String leaseId,
      String trialId,
      String sweepId,
      int trialNumber,
      int attempt,
      String workerId,
      String host,
      String device,
      LeaseTerms terms,
      long expiresAt) {
    this.leaseId = leaseId;
    this.trialId = trialId;
    this.sweepId = sweepId;
    this.trialNumber = trialNumber;
    this.attempt = attempt;
    this.workerId = workerId;
    this.host = host;
    this.device = device;
    this.terms = terms;
    this.expiresAt = expiresAt;
  }

  /** The lease of an attempt just started, until the attempt's lease expiry; no progress yet. */
  static LiveLease started(
      AttemptRecord attempt, String sweepId, int trialNumber, String specJson) {
    return new LiveLease(
        attempt.id(),
        attempt.trialId(),
        sweepId,
        trialNumber,
        attempt.number(),
        attempt.workerId(),
        attempt.host(),
        attempt.device(),
        LeaseTerms.of(attempt.trialId(), specJson),
        attempt.leaseExpiresAt());
  }

  /**
   * A lease found active in the store (taken over after a restart, or leased by another process),
   * with the progress stored so far: the trial's best objective counts only once this attempt
   * stored an epoch ({@code epochsDone > 0}).
   */
  static LiveLease resumed(
      AttemptRecord attempt, TrialRecord trial, int epochsDone, long expiresAt) {
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
            expiresAt);
    lease.epochsDone = epochsDone;
    if (epochsDone > 0) {
      lease.objective = trial.objective();
      lease.bestEpoch = trial.bestEpoch();
    }
    lease.stopRequested = trial.stopRequested();
    return lease;
  }

  /** A copy of this lease and its progress (not its expiry), to move on before the store has it. */
  LiveLease copy() {
    LiveLease c =
        new LiveLease(
            leaseId, trialId, sweepId, trialNumber, attempt, workerId, host, device, terms, 0);
    c.epochsDone = epochsDone;
    c.objective = objective;
    c.bestEpoch = bestEpoch;
    c.stopRequested = stopRequested;
    return c;
  }

  /**
   * Adds to the script the epochs after the last stored one and moves the best objective and the
   * epoch count on by them. Called on a {@link #copy()}: the live lease moves on ({@link #moveOn})
   * once the script's transaction committed.
   */
  void record(
      Script script,
      MetricRepository metrics,
      SweepRecord sweep,
      List<EpochMetrics> epochs,
      long now) {
    List<EpochMetrics> added = metrics.addAfter(script, trialId, attempt, epochsDone, epochs, now);
    if (added.isEmpty()) {
      return;
    }
    var best = Objectives.best(Metric.parse(sweep.objectiveMetric()), sweep.maximize(), added);
    if (best != null
        && (objective == null
            || Objectives.oriented(best.value(), sweep.maximize())
                > Objectives.oriented(objective, sweep.maximize()))) {
      objective = best.value();
      bestEpoch = best.epoch();
    }
    epochsDone = added.get(added.size() - 1).epoch();
  }

  /** Takes the progress of {@code after} (a {@link #copy()}, moved on) and the new expiry. */
  void moveOn(LiveLease after, long expires) {
    expiresAt = expires;
    epochsDone = after.epochsDone;
    objective = after.objective;
    bestEpoch = after.bestEpoch;
  }

  /**
   * The worker holding this lease, as it asked for it (a complete-and-lease leases to it again).
   */
  LeaseRequest worker() {
    return new LeaseRequest(workerId, host, device);
  }

  long expiresAt() {
    return expiresAt;
  }

  /** Takes the expiry the store has (another orchestrator process may have extended it). */
  void expiresAt(long at) {
    expiresAt = at;
  }

  boolean expired(long now) {
    return expiresAt < now;
  }

  boolean ended() {
    return ended;
  }

  /** The attempt ended in the store: no report on this lease is taken any more. */
  void end() {
    ended = true;
  }

  int epochsDone() {
    return epochsDone;
  }

  Double objective() {
    return objective;
  }

  Integer bestEpoch() {
    return bestEpoch;
  }

  /** Why the trial was told to stop, or null. */
  StopRequest stopRequested() {
    return stopRequested;
  }

  void requestStop(StopRequest why) {
    stopRequested = why;
  }
}
