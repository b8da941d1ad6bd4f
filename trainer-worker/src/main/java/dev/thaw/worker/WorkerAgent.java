package dev.thaw.worker;

import ai.djl.Device;
import dev.thaw.data.ThawPaths;
import dev.thaw.inputs.InputPolicy;
import dev.thaw.protocol.LeaseRequest;
import dev.thaw.train.FineTuner;
import dev.thaw.train.features.FeatureCache;
import dev.thaw.train.features.FeatureCacheSettings;
import dev.thaw.trial.FeatureReuse;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.EnumMap;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * A worker: pulls trials from a {@link TrialSource} and runs them one at a time (DJL trains one
 * model per JVM).
 *
 * <p>The loop ({@link PollLoop}) leases a trial; when none is ready it polls again after a short
 * backoff (100 ms doubling to 2 s, reset by work), so a queued trial waits well under 200 ms. A
 * leased trial runs with {@link FineTuner} ({@link TrialRunner}): each finished epoch goes out as a
 * heartbeat whose reply may say stop, and a background heartbeat every {@code heartbeat_seconds}
 * keeps the lease alive while data loads and during long epochs. The trial ends in one {@link
 * TrialOutcome}, delivered by a {@link TrialReporter}: its result is completed (also the partial
 * result of a trial the orchestrator stopped), an exception is reported as a failure (retryable
 * unless the spec, data or model is bad), a lost lease drops the trial quietly. A result is
 * completed with {@link TrialSource#completeAndLease} when the worker will ask for another trial
 * anyway (not stopping, below its maximum): the lease that comes with it is run next, as if the
 * loop's lease call had returned it, which saves a round trip per trial; without one the loop asks
 * as usual.
 *
 * <p>Trials of the same task share the target data and the source model's weights through a {@link
 * TaskCache}, and the outputs of their frozen layer groups through a {@link FeatureCache}. {@link
 * #stop()}, from any thread, ends the loop: an idle worker returns at once, a busy one stops its
 * trial at the next epoch's end and hands it back ({@link TrialSource#handBack}: queued again at
 * once, without using a retry).
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
  private final AttemptRuns runs;
  private final FeatureCacheSettings featureCache;

  private final AtomicBoolean started = new AtomicBoolean();
  private final StopSignal stop = new StopSignal();

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
    this.featureCache =
        b.featureCache != null ? b.featureCache : FeatureCacheSettings.fromEnvironment();
    this.idleExit = b.idleExit;
    this.poll = b.poll;
    this.listener = b.listener;
    this.runs =
        new AttemptRuns(
            identity,
            b.trackingSpool != null
                ? b.trackingSpool
                : AttemptRuns.defaultSpoolRoot(identity.workerId()));
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

  /** How much the frozen-prefix feature cache of {@link #run()} may hold. */
  public FeatureCacheSettings featureCache() {
    return featureCache;
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
    stop.bind(Thread.currentThread());
    Map<TrialOutcome, Integer> outcomes = new EnumMap<>(TrialOutcome.class);
    ScheduledExecutorService heartbeats =
        Executors.newSingleThreadScheduledExecutor(
            r -> {
              Thread t = new Thread(r, "thaw-heartbeat-" + identity.workerId());
              t.setDaemon(true);
              return t;
            });
    FeatureCache features = FeatureCache.open(featureCache).withTaskNames(FeatureReuse::task);
    HeldPrefixes held = new HeldPrefixes(features);
    FineTuner tuner = new FineTuner(device, runsDir, cache, inputs).withFeatureCache(features);
    try {
      TrialReporter reporter = new TrialReporter(source, identity, listener, stop);
      TrialRunner runner =
          new TrialRunner(tuner, heartbeats, source, runs, listener, stop, reporter, held);
      PollLoop loop =
          new PollLoop(
              source, identity, maxTrials, idleExit, poll, listener, stop, runner, reporter, held);
      WorkerSummary.Exit exit = loop.run(outcomes);
      WorkerSummary summary = new WorkerSummary(exit, outcomes);
      listener.exiting(summary);
      return summary;
    } finally {
      heartbeats.shutdownNow();
      cache.close();
      features.close();
      runs.close();
      stop.bind(null);
    }
  }

  /**
   * Asks the worker to stop, from any thread: no new lease; an idle wait or a lease call in
   * progress is interrupted; a running trial stops at the end of its current epoch and is handed
   * back. {@link #run()} then returns.
   */
  public void stop() {
    stop.request();
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
    private FeatureCacheSettings featureCache;

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

    /**
     * The frozen-prefix feature cache's caps, shared by the trials this worker runs (default {@link
     * FeatureCacheSettings#fromEnvironment()}: {@code THAW_FEATURE_CACHE_MEMORY_MB}, {@code
     * THAW_FEATURE_CACHE_DISK_MB}, {@code THAW_FEATURE_CACHE_DIR}); {@link
     * FeatureCacheSettings#off()} for none.
     */
    public Builder optFeatureCache(FeatureCacheSettings featureCache) {
      this.featureCache = Objects.requireNonNull(featureCache);
      return this;
    }

    public WorkerAgent build() {
      return new WorkerAgent(this);
    }
  }
}
