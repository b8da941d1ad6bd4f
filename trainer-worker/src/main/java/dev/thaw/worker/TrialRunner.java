package dev.thaw.worker;

import dev.thaw.data.DatasetException;
import dev.thaw.inputs.InputRefusedException;
import dev.thaw.model.ModelLoadException;
import dev.thaw.train.FineTuner;
import dev.thaw.train.TrialObserver;
import dev.thaw.train.features.FeatureCacheStats;
import dev.thaw.trial.EpochMetrics;
import dev.thaw.trial.InvalidTrialSpecException;
import dev.thaw.trial.TrialResult;
import dev.thaw.trial.TrialSpec;
import dev.thaw.worker.protocol.Failure;
import dev.thaw.worker.protocol.HeartbeatReply;
import dev.thaw.worker.protocol.Lease;
import java.util.List;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;

/**
 * Runs one leased trial with {@link FineTuner} and reports how it ended: each finished epoch goes
 * out as a heartbeat whose reply may say stop, and a background heartbeat every {@code
 * heartbeat_seconds} keeps the lease alive while data loads and during long epochs (a {@link
 * LeaseKeeper}). The attempt is tracked in MLflow ({@link TrialTracking}).
 *
 * <p>The trial ends in one {@link TrialOutcome}: its result is completed (also the partial result
 * of a trial the orchestrator stopped), an exception is reported as a failure (retryable unless the
 * spec, data or model is bad), a lost lease drops the trial quietly, a trial stopped by the worker
 * is handed back.
 */
final class TrialRunner {
  private final FineTuner tuner;
  private final ScheduledExecutorService heartbeats;
  private final TrialSource source;
  private final TrialTracking tracking;
  private final WorkerListener listener;
  private final StopSignal stop;
  private final TrialReporter reporter;

  TrialRunner(
      FineTuner tuner,
      ScheduledExecutorService heartbeats,
      TrialSource source,
      TrialTracking tracking,
      WorkerListener listener,
      StopSignal stop,
      TrialReporter reporter) {
    this.tuner = tuner;
    this.heartbeats = heartbeats;
    this.source = source;
    this.tracking = tracking;
    this.listener = listener;
    this.stop = stop;
    this.reporter = reporter;
  }

  /**
   * Runs one leased trial and reports on it.
   *
   * @param mayLeaseNext whether the worker will ask for another trial after this one (unless it is
   *     stopped meanwhile): its result may then bring the next lease
   */
  TrialOutcome run(Lease lease, boolean mayLeaseNext) {
    listener.leased(lease);
    LeaseKeeper keeper =
        new LeaseKeeper(source, lease.leaseId(), m -> listener.heartbeatFailed(lease, m));
    long every =
        lease.heartbeatSeconds() > 0
            ? lease.heartbeatSeconds()
            : Math.max(1, lease.leaseSeconds() / 3);
    ScheduledFuture<?> background =
        heartbeats.scheduleWithFixedDelay(keeper::beat, every, every, TimeUnit.SECONDS);
    TrackedAttempt tracked = null;
    TrialResult result = null;
    RuntimeException error = null;
    try {
      if (lease.trial() == null) {
        throw new InvalidTrialSpecException(
            "lease " + lease.leaseId(), List.of("the lease carries no trial"));
      }
      TrialSpec spec =
          lease.trial().id() != null ? lease.trial() : lease.trial().withId(lease.trialId());
      TrackedAttempt attempt = tracking.begin(lease, spec);
      tracked = attempt;
      result =
          tuner.run(
              spec,
              new TrialObserver() {
                @Override
                public boolean epochFinished(EpochMetrics metrics) {
                  listener.epoch(lease, metrics);
                  attempt.epoch(metrics);
                  keeper.epochFinished(metrics);
                  return keeper.goOn() && !stop.requested();
                }

                @Override
                public void featureCache(FeatureCacheStats stats) {
                  attempt.featureCache(stats);
                  listener.featureCache(lease, stats);
                }
              });
    } catch (RuntimeException e) {
      error = e;
    } finally {
      background.cancel(false);
      keeper.close();
    }
    if (keeper.lostReason() != null) {
      return reporter.finished(
          lease, tracked, TrialOutcome.DROPPED, null, null, keeper.lostReason());
    }
    if (error != null) {
      Failure failure =
          new Failure(
              error.getClass().getSimpleName() + ": " + error.getMessage(), isRetryable(error));
      return reporter.report(lease, tracked, TrialOutcome.FAILED, null, failure, null, false);
    }
    HeartbeatReply stopReply = keeper.stopReply();
    boolean stoppedHere =
        result.stoppedEarly() && FineTuner.STOPPED_BY_OBSERVER.equals(result.stopReason());
    if (stoppedHere && stopReply != null) {
      String reason = stopReply.reason() != null ? stopReply.reason() : "stopped_by_orchestrator";
      return reporter.report(
          lease,
          tracked,
          TrialOutcome.STOPPED,
          withStopReason(result, reason),
          null,
          reason,
          mayLeaseNext);
    }
    if (stoppedHere) {
      return reporter.handBack(
          lease, tracked, "the worker stopped after epoch " + result.epochsRun());
    }
    return reporter.report(
        lease, tracked, TrialOutcome.COMPLETED, result, null, null, mayLeaseNext);
  }

  /** False when retrying cannot help: the spec, the data or the model is bad or refused. */
  static boolean isRetryable(Throwable error) {
    for (Throwable t = error; t != null; t = t.getCause()) {
      if (t instanceof InvalidTrialSpecException
          || t instanceof InputRefusedException
          || t instanceof DatasetException
          || t instanceof ModelLoadException) {
        return false;
      }
    }
    return true;
  }

  private static TrialResult withStopReason(TrialResult r, String reason) {
    return new TrialResult(
        r.trialId(),
        r.configHash(),
        r.monitor(),
        r.bestValue(),
        r.bestEpoch(),
        r.epochsRun(),
        true,
        reason,
        r.wallSeconds(),
        r.bestWeights(),
        r.finalValLoss(),
        r.finalValAccuracy(),
        r.targetClasses(),
        r.trainExamples(),
        r.validationExamples(),
        r.groupLearningRates(),
        r.epochs());
  }
}
