package dev.thaw.worker;

import ai.djl.Device;
import dev.thaw.data.DatasetException;
import dev.thaw.data.ThawPaths;
import dev.thaw.inputs.InputPolicy;
import dev.thaw.inputs.InputRefusedException;
import dev.thaw.model.ModelLoadException;
import dev.thaw.train.FineTuner;
import dev.thaw.train.TrialObserver;
import dev.thaw.trial.EpochMetrics;
import dev.thaw.trial.InvalidTrialSpecException;
import dev.thaw.trial.TrialResult;
import dev.thaw.trial.TrialSpec;
import dev.thaw.worker.protocol.Failure;
import dev.thaw.worker.protocol.HandBack;
import dev.thaw.worker.protocol.HeartbeatReply;
import dev.thaw.worker.protocol.Lease;
import dev.thaw.worker.protocol.LeaseRequest;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.EnumMap;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * A worker: pulls trials from a {@link TrialSource} and runs them one at a time (DJL trains one
 * model per JVM).
 *
 * <p>The loop leases a trial; when none is ready it polls again after a short backoff (100 ms
 * doubling to 2 s, reset by work), so a queued trial waits well under 200 ms. A leased trial runs
 * with {@link FineTuner}: each finished epoch goes out as a heartbeat whose reply may say stop, and
 * a background heartbeat every {@code heartbeat_seconds} keeps the lease alive while data loads and
 * during long epochs. The trial ends in one {@link TrialOutcome}: its result is completed (also the
 * partial result of a trial the orchestrator stopped), an exception is reported as a failure
 * (retryable unless the spec, data or model is bad), a lost lease drops the trial quietly. A result
 * is completed with {@link TrialSource#completeAndLease} when the worker will ask for another trial
 * anyway (not stopping, below its maximum): the lease that comes with it is run next, as if the
 * loop's lease call had returned it, which saves a round trip per trial; without one the loop asks
 * as usual.
 *
 * <p>Trials of the same task share the target data and the source model's weights through a {@link
 * TaskCache}. {@link #stop()}, from any thread, ends the loop: an idle worker returns at once, a
 * busy one stops its trial at the next epoch's end and hands it back as a retryable failure.
 */
public final class WorkerAgent {
  private final TrialSource source;
  private final LeaseRequest identity;
  private final Device device;
  private final Path runsDir;
  private final int maxTrials;
  private final Duration idleExit;
  private final Backoff poll;
  private final WorkerListener listener;
  private final InputPolicy inputs;
  private final TaskCache cache = new TaskCache();
  private final TrialTracking tracking;
  private TrialTracking.Attempt tracked;

  /** The lease that came with the last result, run next instead of asking for one. */
  private Lease leasedWithResult;

  private final AtomicBoolean started = new AtomicBoolean();
  private volatile boolean stopRequested;
  private final Object phaseLock = new Object();
  private Thread runner;
  private boolean interruptible;

  private WorkerAgent(Builder b) {
    this.source = Objects.requireNonNull(b.source, "a worker needs a trial source");
    this.device = b.device;
    this.identity =
        new LeaseRequest(
            b.workerId != null ? b.workerId : defaultWorkerId(b.device),
            hostName(),
            b.device.toString());
    this.runsDir = b.runsDir != null ? b.runsDir : ThawPaths.cacheDir().resolve("runs");
    this.inputs = b.inputs != null ? b.inputs : InputPolicy.fromEnvironment();
    this.maxTrials = b.maxTrials;
    this.idleExit = b.idleExit;
    this.poll = b.poll;
    this.listener = b.listener;
    this.tracking =
        new TrialTracking(
            identity,
            b.trackingSpool != null
                ? b.trackingSpool
                : TrialTracking.defaultSpoolRoot(identity.workerId()));
  }

  /** A new builder; {@link Builder#setSource} is required. */
  public static Builder builder() {
    return new Builder();
  }

  /** The worker's id, host and device as sent with every lease request. */
  public LeaseRequest identity() {
    return identity;
  }

  /** Which data folders and source models this worker's trials may name. */
  public InputPolicy inputs() {
    return inputs;
  }

  /** The cache of the current task's data and weights (its counters show what was reloaded). */
  public TaskCache taskCache() {
    return cache;
  }

  /**
   * Runs trials until the maximum number of trials, the idle timeout or {@link #stop()}; runs once.
   *
   * @throws TrialSourceException when the orchestrator refuses to lease (a 4xx: wrong URL or
   *     version); an unreachable orchestrator is waited for instead
   */
  public WorkerSummary run() {
    if (!started.compareAndSet(false, true)) {
      throw new IllegalStateException("worker " + identity.workerId() + " already ran");
    }
    synchronized (phaseLock) {
      runner = Thread.currentThread();
    }
    Map<TrialOutcome, Integer> outcomes = new EnumMap<>(TrialOutcome.class);
    ScheduledExecutorService heartbeats =
        Executors.newSingleThreadScheduledExecutor(
            r -> {
              Thread t = new Thread(r, "thaw-heartbeat-" + identity.workerId());
              t.setDaemon(true);
              return t;
            });
    FineTuner tuner = new FineTuner(device, runsDir, cache, inputs);
    try {
      WorkerSummary.Exit exit = loop(tuner, heartbeats, outcomes);
      WorkerSummary summary = new WorkerSummary(exit, outcomes);
      listener.exiting(summary);
      return summary;
    } finally {
      heartbeats.shutdownNow();
      cache.close();
      tracking.close();
      synchronized (phaseLock) {
        runner = null;
      }
    }
  }

  /**
   * Asks the worker to stop, from any thread: no new lease; an idle wait or a lease call in
   * progress is interrupted; a running trial stops at the end of its current epoch and is handed
   * back. {@link #run()} then returns.
   */
  public void stop() {
    stopRequested = true;
    synchronized (phaseLock) {
      if (interruptible && runner != null) {
        runner.interrupt();
      }
    }
  }

  private WorkerSummary.Exit loop(
      FineTuner tuner, ScheduledExecutorService heartbeats, Map<TrialOutcome, Integer> outcomes) {
    int leased = 0;
    int idleRounds = 0;
    long idleSince = System.nanoTime();
    boolean unavailable = false;
    while (true) {
      Optional<Lease> next = Optional.empty();
      if (leasedWithResult != null) {
        // It stands for this round's lease call: the checks below were made before asking for it.
        next = Optional.of(leasedWithResult);
        leasedWithResult = null;
      } else {
        if (stopRequested) {
          return WorkerSummary.Exit.STOPPED;
        }
        if (maxTrials > 0 && leased >= maxTrials) {
          return WorkerSummary.Exit.MAX_TRIALS;
        }
        enterInterruptible();
        try {
          next = source.lease(identity);
          unavailable = false;
        } catch (OrchestratorUnavailableException e) {
          if (!unavailable && !stopRequested) {
            listener.orchestratorUnavailable(e.getMessage());
          }
          unavailable = true;
        } catch (TrialSourceException e) {
          if (!stopRequested) {
            throw e;
          }
        } finally {
          leaveInterruptible();
        }
      }
      if (next.isPresent()) {
        leased++;
        idleRounds = 0;
        Lease lease = next.get();
        boolean mayLeaseNext = maxTrials == 0 || leased < maxTrials;
        TrialOutcome outcome =
            stopRequested
                ? handBack(lease, "the worker stopped before it started")
                : run(tuner, heartbeats, lease, mayLeaseNext);
        outcomes.merge(outcome, 1, Integer::sum);
        idleSince = System.nanoTime();
        continue;
      }
      if (stopRequested) {
        return WorkerSummary.Exit.STOPPED;
      }
      Duration idle = Duration.ofNanos(System.nanoTime() - idleSince);
      if (idleExit != null && idle.compareTo(idleExit) >= 0) {
        return WorkerSummary.Exit.IDLE;
      }
      Duration wait = poll.delay(++idleRounds);
      if (idleExit != null && idleExit.minus(idle).compareTo(wait) < 0) {
        wait = idleExit.minus(idle);
      }
      idleWait(wait);
    }
  }

  /**
   * Runs one leased trial and reports on it.
   *
   * @param mayLeaseNext whether the worker will ask for another trial after this one (unless it is
   *     stopped meanwhile): its result may then bring the next lease
   */
  private TrialOutcome run(
      FineTuner tuner, ScheduledExecutorService heartbeats, Lease lease, boolean mayLeaseNext) {
    listener.leased(lease);
    LeaseKeeper keeper =
        new LeaseKeeper(source, lease.leaseId(), m -> listener.heartbeatFailed(lease, m));
    long every =
        lease.heartbeatSeconds() > 0
            ? lease.heartbeatSeconds()
            : Math.max(1, lease.leaseSeconds() / 3);
    ScheduledFuture<?> background =
        heartbeats.scheduleWithFixedDelay(keeper::beat, every, every, TimeUnit.SECONDS);
    TrialResult result = null;
    RuntimeException error = null;
    try {
      if (lease.trial() == null) {
        throw new InvalidTrialSpecException(
            "lease " + lease.leaseId(), java.util.List.of("the lease carries no trial"));
      }
      TrialSpec spec =
          lease.trial().id() != null ? lease.trial() : lease.trial().withId(lease.trialId());
      TrialTracking.Attempt attempt = tracking.begin(lease, spec);
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
                  return keeper.goOn() && !stopRequested;
                }
              });
    } catch (RuntimeException e) {
      error = e;
    } finally {
      background.cancel(false);
      keeper.close();
    }
    if (keeper.lostReason() != null) {
      return finished(lease, TrialOutcome.DROPPED, null, null, keeper.lostReason());
    }
    if (error != null) {
      Failure failure =
          new Failure(
              error.getClass().getSimpleName() + ": " + error.getMessage(), isRetryable(error));
      return report(lease, TrialOutcome.FAILED, null, failure, null, false);
    }
    HeartbeatReply stop = keeper.stopReply();
    boolean stoppedHere =
        result.stoppedEarly() && FineTuner.STOPPED_BY_OBSERVER.equals(result.stopReason());
    if (stoppedHere && stop != null) {
      String reason = stop.reason() != null ? stop.reason() : "stopped_by_orchestrator";
      return report(
          lease, TrialOutcome.STOPPED, withStopReason(result, reason), null, reason, mayLeaseNext);
    }
    if (stoppedHere) {
      return handBack(lease, "the worker stopped after epoch " + result.epochsRun());
    }
    return report(lease, TrialOutcome.COMPLETED, result, null, null, mayLeaseNext);
  }

  private TrialOutcome handBack(Lease lease, String why) {
    Failure failure = new Failure("worker " + identity.workerId() + " stopped: " + why, true);
    return report(lease, TrialOutcome.HANDED_BACK, null, failure, null, false);
  }

  /**
   * Delivers a result or a failure; a lost lease or an unreachable orchestrator drops the trial.
   * With {@code leaseNext} (and no stop asked for), a result also asks for the next lease, kept in
   * {@link #leasedWithResult} for the loop.
   */
  private TrialOutcome report(
      Lease lease,
      TrialOutcome outcome,
      TrialResult result,
      Failure failure,
      String detail,
      boolean leaseNext) {
    try {
      if (result != null && leaseNext && !stopRequested) {
        leasedWithResult = source.completeAndLease(lease.leaseId(), result, identity).orElse(null);
      } else if (result != null) {
        source.complete(lease.leaseId(), result);
      } else if (outcome == TrialOutcome.HANDED_BACK) {
        source.handBack(lease.leaseId(), new HandBack(failure.reason()));
      } else {
        source.fail(lease.leaseId(), failure);
      }
    } catch (LeaseLostException e) {
      return finished(lease, TrialOutcome.DROPPED, null, null, e.getMessage());
    } catch (TrialSourceException e) {
      String what = result != null ? "result" : "failure";
      return finished(
          lease,
          TrialOutcome.DROPPED,
          null,
          null,
          "cannot deliver its " + what + ": " + e.getMessage());
    }
    return finished(lease, outcome, result, failure, detail);
  }

  private TrialOutcome finished(
      Lease lease, TrialOutcome outcome, TrialResult result, Failure failure, String detail) {
    if (tracked != null) {
      tracked.end(outcome, result, detail != null || failure == null ? detail : failure.reason());
      tracked = null;
    }
    listener.finished(lease, outcome, result, failure, detail);
    return outcome;
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

  private void idleWait(Duration wait) {
    enterInterruptible();
    try {
      Thread.sleep(wait);
    } catch (InterruptedException e) {
      // stop() interrupted the wait; the loop sees stopRequested.
    } finally {
      leaveInterruptible();
    }
  }

  private void enterInterruptible() {
    synchronized (phaseLock) {
      interruptible = true;
    }
    if (stopRequested) {
      Thread.currentThread().interrupt();
    }
  }

  private void leaveInterruptible() {
    synchronized (phaseLock) {
      interruptible = false;
    }
    // Clear an interrupt from stop(): training must not see it.
    Thread.interrupted();
  }

  private static String hostName() {
    try {
      return InetAddress.getLocalHost().getHostName();
    } catch (UnknownHostException e) {
      return "localhost";
    }
  }

  private static String defaultWorkerId(Device device) {
    return hostName()
        + "-"
        + device.toString().replaceAll("[^A-Za-z0-9]+", "")
        + "-"
        + ProcessHandle.current().pid();
  }

  /** Builds a {@link WorkerAgent}: DJL's setX for required values, optX for optional ones. */
  public static final class Builder {
    private TrialSource source;
    private Device device = Device.cpu();
    private String workerId;
    private Path runsDir;
    private int maxTrials;
    private Duration idleExit;
    private Backoff poll = new Backoff(Duration.ofMillis(100), Duration.ofSeconds(2));
    private WorkerListener listener = new WorkerLog();
    private Path trackingSpool;
    private InputPolicy inputs;

    private Builder() {}

    /** Where trials come from (required). */
    public Builder setSource(TrialSource source) {
      this.source = source;
      return this;
    }

    /** The device to train on (default cpu). */
    public Builder optDevice(Device device) {
      this.device = Objects.requireNonNull(device);
      return this;
    }

    /** A stable id for the worker (default host-device-pid). */
    public Builder optWorkerId(String workerId) {
      this.workerId = workerId;
      return this;
    }

    /** Where trial folders go (default $THAW_CACHE/runs). */
    public Builder optRunsDir(Path runsDir) {
      this.runsDir = runsDir;
      return this;
    }

    /** Exit after this many leased trials; 0 (the default) for no limit. */
    public Builder optMaxTrials(int maxTrials) {
      if (maxTrials < 0) {
        throw new IllegalArgumentException("max trials must be >= 0 (got " + maxTrials + ")");
      }
      this.maxTrials = maxTrials;
      return this;
    }

    /** Exit after this long without a trial; null (the default) to wait for ever. */
    public Builder optIdleExit(Duration idleExit) {
      if (idleExit != null && idleExit.isNegative()) {
        throw new IllegalArgumentException("idle exit must be >= 0 (got " + idleExit + ")");
      }
      this.idleExit = idleExit;
      return this;
    }

    /** How long to wait between empty lease calls (default 100 ms doubling to 2 s). */
    public Builder optPollBackoff(Backoff poll) {
      this.poll = Objects.requireNonNull(poll);
      return this;
    }

    /** Who hears the worker's events (default: {@link WorkerLog}). */
    public Builder optListener(WorkerListener listener) {
      this.listener = Objects.requireNonNull(listener);
      return this;
    }

    /**
     * Where MLflow tracking spools what the server has not acknowledged (default
     * $THAW_CACHE/tracking-spool/&lt;worker id&gt;, so a restarted worker sends what it left).
     */
    public Builder optTrackingSpool(Path dir) {
      this.trackingSpool = dir;
      return this;
    }

    /**
     * Which data folders and source models trials may name (default {@link
     * InputPolicy#fromEnvironment()}: {@code THAW_DATA_ROOTS}, {@code THAW_MODELS_ROOTS}, {@code
     * THAW_MODELS_ALLOW_REMOTE}, else the default roots and no remote models). A trial naming
     * anything else fails at its start, not retryable.
     */
    public Builder optInputs(InputPolicy inputs) {
      this.inputs = Objects.requireNonNull(inputs);
      return this;
    }

    public WorkerAgent build() {
      return new WorkerAgent(this);
    }
  }
}
