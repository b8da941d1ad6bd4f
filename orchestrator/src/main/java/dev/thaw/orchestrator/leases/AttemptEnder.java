package dev.thaw.orchestrator.leases;

import dev.thaw.api.TrialState;
import dev.thaw.orchestrator.store.AttemptRepository;
import dev.thaw.orchestrator.store.AttemptState;
import dev.thaw.orchestrator.store.SweepRecord;
import dev.thaw.orchestrator.store.SweepRepository;
import dev.thaw.orchestrator.store.TrialRecord;
import dev.thaw.orchestrator.store.TrialRepository;
import dev.thaw.orchestrator.sweeps.EndedTrial;
import dev.thaw.orchestrator.sweeps.SweepService;
import dev.thaw.protocol.Failure;
import dev.thaw.protocol.HandBack;
import io.quarkus.narayana.jta.QuarkusTransaction;
import jakarta.enterprise.context.ApplicationScoped;
import java.util.Set;
import java.util.concurrent.Callable;
import java.util.concurrent.ConcurrentHashMap;
import org.jboss.logging.Logger;

/**
 * Ends attempts: a failed one, one handed back, and, for every ending (a result's and the reaper's
 * too), the transaction that ends it and what follows the commit: dropping the live lease, telling
 * the dispatcher, and completing the sweep when it is done.
 *
 * <p>Exactly one result per trial: every ending starts with a conditional update of an ACTIVE
 * attempt, so once an attempt ended (a report, or the reaper expired it), a late report from its
 * worker finds nothing to update and is rejected ({@link LeaseLostException}, HTTP 409), and
 * whatever went with it in the transaction is rolled back.
 */
@ApplicationScoped
class AttemptEnder {
  private static final Logger LOG = Logger.getLogger(AttemptEnder.class);

  private final SweepRepository sweeps;
  private final TrialRepository trials;
  private final AttemptRepository attempts;
  private final SweepService sweepService;
  private final Dispatcher dispatcher;
  private final LiveLeases live;
  private final Set<String> doneChecksLeft = ConcurrentHashMap.newKeySet();

  AttemptEnder(
      SweepRepository sweeps,
      TrialRepository trials,
      AttemptRepository attempts,
      SweepService sweepService,
      Dispatcher dispatcher,
      LiveLeases live) {
    this.sweeps = sweeps;
    this.trials = trials;
    this.attempts = attempts;
    this.sweepService = sweepService;
    this.dispatcher = dispatcher;
    this.live = live;
  }

  /**
   * Records a failed attempt: the trial is queued again while retries remain and the failure is
   * retryable, else it fails.
   *
   * @throws LeaseLostException when the lease is not active
   */
  void fail(String leaseId, Failure failure) {
    String reason = failure.reason() == null ? "no reason given" : failure.reason();
    endReported(leaseId, AttemptState.FAILED, reason, "failed", failure.retryable());
  }

  /**
   * Takes back a trial its worker gave back unfinished because it is stopping: queued again at
   * once, without using a retry (unless a stop was asked for or the sweep ended meanwhile).
   *
   * @throws LeaseLostException when the lease is not active
   */
  void handBack(String leaseId, HandBack handBack) {
    String reason = handBack.reason() == null ? "no reason given" : handBack.reason();
    endReported(leaseId, AttemptState.HANDED_BACK, reason, "handed back", true);
  }

  /** Ends the attempt as its worker reported it, without a result (see {@link #endAttempt}). */
  private void endReported(
      String leaseId, AttemptState state, String reason, String happened, boolean retryable) {
    LiveLease lease = live.find(leaseId);
    synchronized (lease) {
      live.refuseIfEnded(lease);
      endLease(
          lease,
          () -> {
            long now = System.currentTimeMillis();
            if (!attempts.end(leaseId, state, reason, now)) {
              throw new LeaseLostException(leaseId, "it ended while this report was on its way");
            }
            return endAttempt(
                lease.trialId,
                "attempt " + lease.attempt + " " + happened + ": " + reason,
                retryable,
                now);
          });
    }
  }

  /**
   * Ends an attempt in one transaction ({@code ending} returns whether its trial was queued again),
   * then drops the live lease and tells the dispatcher that the trial left RUNNING. A lease found
   * already ended in the store is dropped too. Called holding the live lease's lock.
   *
   * @throws LeaseLostException from {@code ending}, when the attempt was not as expected in the
   *     store (nothing of the transaction stays)
   */
  void endLease(LiveLease lease, Callable<Boolean> ending) {
    boolean requeued;
    try {
      requeued = QuarkusTransaction.requiringNew().call(ending);
    } catch (LeaseLostException e) {
      live.forgetIfEnded(lease);
      throw e;
    }
    live.forget(lease);
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

  /** Checks again the sweeps whose check whether they are done failed (the reaper calls this). */
  void retryDoneChecks() {
    doneChecksLeft.forEach(this::checkDone);
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
   * After an attempt failed or expired: requeue, fail, or end the trial as it was asked to. Runs in
   * the transaction that ended the attempt.
   *
   * @return true if the trial was queued again
   */
  boolean endAttempt(String trialId, String reason, boolean retryable, long now) {
    TrialRecord trial = trials.find(trialId).orElseThrow();
    SweepRecord sweep = sweeps.find(trial.sweepId()).orElseThrow();
    TrialState state;
    String why;
    if (trial.stopRequested() != null) {
      state = trial.stopRequested().endState();
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
}
