package dev.thaw.worker;

import dev.thaw.protocol.Failure;
import dev.thaw.protocol.HeartbeatReply;
import dev.thaw.protocol.Lease;
import dev.thaw.task.DatasetException;
import dev.thaw.task.InputRefusedException;
import dev.thaw.task.ModelLoadException;
import dev.thaw.train.FineTuner;
import dev.thaw.train.TrialObserver;
import dev.thaw.train.features.FeatureCacheStats;
import dev.thaw.trial.EpochMetrics;
import dev.thaw.trial.InvalidTrialSpecException;
import dev.thaw.trial.TrialResult;
import dev.thaw.trial.TrialSpec;
import java.util.List;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;

/**
 * Runs one leased trial with {@link FineTuner} and reports how it ended: each finished epoch goes
 * out as a heartbeat whose reply may say stop, and a background heartbeat every {@code
 * heartbeat_seconds} keeps the lease alive while data loads and during long epochs (a {@link
 * LeaseKeeper}). The attempt is tracked in MLflow ({@link AttemptRuns}).
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
  private final AttemptRuns runs;
  private final WorkerListener listener;
  private final StopSignal stop;
  private final TrialReporter reporter;
  private final HeldPrefixes held;
  private final WorkerStats stats = new WorkerStats();

  TrialRunner(
      FineTuner tuner,
      ScheduledExecutorService heartbeats,
      TrialSource source,
      AttemptRuns runs,
      WorkerListener listener,
      StopSignal stop,
      TrialReporter reporter,
      HeldPrefixes held) {
    this.held = held;
    this.tuner = tuner;
    this.heartbeats = heartbeats;
    this.source = source;
    this.runs = runs;
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
        new LeaseKeeper(
            source, lease.leaseId(), m -> listener.heartbeatFailed(lease, m), held, stats);
    long every =
        lease.heartbeatSeconds() > 0
            ? lease.heartbeatSeconds()
            : Math.max(1, lease.leaseSeconds() / 3);
    ScheduledFuture<?> background =
        heartbeats.scheduleWithFixedDelay(keeper::beat, every, every, TimeUnit.SECONDS);
    AttemptRun tracked = null;
    TrialResult result = null;
    RuntimeException error = null;
    try {
      if (lease.trial() == null) {
        throw new InvalidTrialSpecException(
            "lease " + lease.leaseId(), List.of("the lease carries no trial"));
      }
      TrialSpec spec =
          lease.trial().id() != null ? lease.trial() : lease.trial().withId(lease.trialId());
      AttemptRun attempt = runs.begin(lease, spec);
      tracked = attempt;
      result =
          tuner.run(
              spec,
              new TrialObserver() {
                @Override
                public boolean epochFinished(EpochMetrics metrics) {
                  listener.epoch(lease, metrics);
                  attempt.epoch(metrics);
                  stats.epoch(metrics);
                  keeper.epochFinished(metrics);
                  return keeper.goOn() && !stop.requested();
                }

                @Override
                public void featureCache(FeatureCacheStats cacheStats) {
                  attempt.featureCache(cacheStats);
                  stats.featureCache(cacheStats);
                  listener.featureCache(lease, cacheStats);
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
          result.withStopReason(reason),
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
}
