package dev.thaw.mlflow;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.LongFunction;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** The tracker on a server: journals every call in the {@link Spool}; {@link SpoolSender} sends. */
final class SpoolingTracker implements Tracker {
  private static final Logger LOG = LoggerFactory.getLogger(Tracker.class);

  private final TrackerConfig config;
  private final Spool spool;
  private final MlflowGateway gateway;
  private final MlflowGateway queries;
  private final SpoolSender sender;
  private final Thread senderThread;
  private final Map<String, TrackedRun> runs = new ConcurrentHashMap<>();
  private final AtomicBoolean closed = new AtomicBoolean();
  private final AtomicInteger lost = new AtomicInteger();

  private SpoolingTracker(TrackerConfig config, Spool spool) {
    this.config = config;
    this.spool = spool;
    this.gateway = new MlflowGateway(config);
    // Searches get a client of their own: a slow one never holds up the sender, nor it them.
    this.queries = new MlflowGateway(config);
    this.sender = new SpoolSender(spool, gateway, config, runs);
    this.senderThread = new Thread(sender, "thaw-mlflow-sender");
    senderThread.setDaemon(true);
  }

  static SpoolingTracker open(TrackerConfig config) throws IOException {
    SpoolingTracker tracker = new SpoolingTracker(config, Spool.open(config.spoolDir()));
    tracker.senderThread.start();
    LOG.info(
        "MLflow tracking to {} (spool {})",
        config.trackingUri(),
        config.spoolDir().toAbsolutePath());
    return tracker;
  }

  @Override
  public boolean enabled() {
    return true;
  }

  @Override
  public TrackedExperiment experiment(String name) {
    return new TrackedExperiment(name);
  }

  @Override
  public TrackedRun startRun(
      TrackedExperiment experiment, String runName, TrackedRun parent, Map<String, String> tags) {
    Objects.requireNonNull(experiment, "experiment");
    requireText(runName, "run name");
    Map<String, String> copy = checkedCopy(tags, "tag");
    TrackedRun run = new TrackedRun(UUID.randomUUID().toString(), runName);
    runs.put(run.key(), run);
    long now = System.currentTimeMillis();
    String parentKey = parent == null ? null : parent.key();
    if (!journal(
        List.of(
            seq ->
                new SpoolOp.StartRun(
                    seq, run.key(), experiment.name(), runName, parentKey, copy, now)))) {
      runs.remove(run.key());
      run.refused();
    }
    return run;
  }

  @Override
  public TrackedRun attach(String serverRunId) {
    requireText(serverRunId, "server run id");
    TrackedRun run = new TrackedRun("attached-" + UUID.randomUUID(), serverRunId);
    try {
      spool.bind(run.key(), new Spool.Binding(serverRunId, null));
      run.bind(serverRunId);
    } catch (IOException e) {
      LOG.error(
          "MLflow tracking: cannot record run {} in spool {}: {}",
          serverRunId,
          spool.dir(),
          e.toString());
      run.refused();
    }
    return run;
  }

  @Override
  public void logParams(TrackedRun run, Map<String, String> params) {
    Objects.requireNonNull(run, "run");
    List<LongFunction<SpoolOp>> ops = new ArrayList<>();
    checkedCopy(params, "param")
        .forEach((k, v) -> ops.add(seq -> new SpoolOp.LogParam(seq, run.key(), k, v)));
    journal(ops);
  }

  @Override
  public void logMetric(TrackedRun run, String key, double value, long step, long timestampMillis) {
    logMetrics(run, Map.of(requireText(key, "metric key"), value), step, timestampMillis);
  }

  @Override
  public void logMetrics(
      TrackedRun run, Map<String, Double> values, long step, long timestampMillis) {
    Objects.requireNonNull(run, "run");
    List<LongFunction<SpoolOp>> ops = new ArrayList<>();
    for (Map.Entry<String, Double> e : new LinkedHashMap<>(values).entrySet()) {
      String key = requireText(e.getKey(), "metric key");
      double value = Objects.requireNonNull(e.getValue(), "value of metric " + key);
      ops.add(seq -> new SpoolOp.LogMetric(seq, run.key(), key, value, step, timestampMillis));
    }
    journal(ops);
  }

  @Override
  public void setTags(TrackedRun run, Map<String, String> tags) {
    Objects.requireNonNull(run, "run");
    List<LongFunction<SpoolOp>> ops = new ArrayList<>();
    checkedCopy(tags, "tag")
        .forEach((k, v) -> ops.add(seq -> new SpoolOp.SetTag(seq, run.key(), k, v)));
    journal(ops);
  }

  @Override
  public void uploadArtifact(TrackedRun run, String relativePath, Path file) {
    Objects.requireNonNull(run, "run");
    String path = requireText(relativePath, "artifact path").replace('\\', '/');
    if (path.startsWith("/") || List.of(path.split("/")).contains("..")) {
      throw new IllegalArgumentException(
          "artifact path '" + relativePath + "' must be relative and stay inside the run");
    }
    if (closed.get()) {
      LOG.warn("MLflow tracking: artifact {} uploaded after close; ignored", path);
      return;
    }
    String spooled = UUID.randomUUID() + "-" + file.getFileName();
    try {
      Files.copy(file, spool.artifactsDir().resolve(spooled), StandardCopyOption.REPLACE_EXISTING);
    } catch (IOException e) {
      LOG.error(
          "MLflow tracking: cannot copy artifact {} into spool {}: {}; it is not uploaded",
          file,
          spool.artifactsDir(),
          e.toString());
      lost.incrementAndGet();
      return;
    }
    journal(List.of(seq -> new SpoolOp.UploadArtifact(seq, run.key(), path, spooled)));
  }

  @Override
  public List<FoundRun> searchRuns(TrackedExperiment experiment, String filter) throws IOException {
    Objects.requireNonNull(experiment, "experiment");
    requireText(filter, "search filter");
    try {
      Optional<String> experimentId = queries.existingExperimentId(experiment.name());
      if (experimentId.isEmpty()) {
        return List.of();
      }
      return queries.searchRuns(experimentId.get(), filter);
    } catch (CallFailed e) {
      throw new IOException(
          "MLflow at " + config.trackingUri() + ": " + e.getMessage(), e.getCause());
    }
  }

  @Override
  public void endRun(TrackedRun run, RunStatus status) {
    Objects.requireNonNull(run, "run");
    Objects.requireNonNull(status, "status");
    long now = System.currentTimeMillis();
    journal(List.of(seq -> new SpoolOp.EndRun(seq, run.key(), status, now)));
  }

  @Override
  public boolean flush(Duration timeout) throws InterruptedException {
    long last = spool.lastSeq();
    sender.hurry(last);
    return spool.awaitAcked(last, System.nanoTime() + timeout.toNanos());
  }

  @Override
  public int pendingOperations() {
    return spool.pendingCount();
  }

  @Override
  public void close() {
    if (!closed.compareAndSet(false, true)) {
      return;
    }
    sender.closing();
    boolean drained = false;
    try {
      drained = flush(config.closeTimeout());
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
    sender.stop();
    gateway.close();
    queries.close();
    senderThread.interrupt();
    try {
      senderThread.join(5000);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
    int left = spool.pendingCount();
    try {
      spool.close();
    } catch (IOException e) {
      LOG.error("MLflow tracking: closing spool {}: {}", spool.dir(), e.toString());
    }
    if (drained && left == 0) {
      LOG.info("MLflow tracking: everything sent to {}", config.trackingUri());
    } else {
      LOG.warn(
          "MLflow tracking: {} operations not acknowledged by {} within {} ms stay in spool {}; a"
              + " tracker opened on that directory sends them",
          left,
          config.trackingUri(),
          config.closeTimeout().toMillis(),
          spool.dir().toAbsolutePath());
    }
    if (sender.refused() > 0 || lost.get() > 0) {
      LOG.warn(
          "MLflow tracking: {} operations refused by the server, {} could not be spooled (see the"
              + " errors above)",
          sender.refused(),
          lost.get());
    }
  }

  /** Appends the operations in one go; false (and logged) when the spool cannot take them. */
  private boolean journal(List<LongFunction<SpoolOp>> ops) {
    if (ops.isEmpty()) {
      return true;
    }
    if (closed.get()) {
      LOG.warn("MLflow tracking: {} operations after close ignored", ops.size());
      return false;
    }
    try {
      spool.appendAll(ops);
      return true;
    } catch (IOException e) {
      if (lost.getAndAdd(ops.size()) == 0) {
        LOG.error(
            "MLflow tracking: cannot write spool {} ({}); these operations are not tracked",
            spool.dir(),
            e.toString());
      }
      return false;
    }
  }

  private static String requireText(String s, String what) {
    if (s == null || s.isBlank()) {
      throw new IllegalArgumentException(what + " must not be blank (got '" + s + "')");
    }
    return s;
  }

  private static Map<String, String> checkedCopy(Map<String, String> map, String what) {
    Map<String, String> copy = new LinkedHashMap<>();
    if (map == null) {
      return copy;
    }
    map.forEach(
        (k, v) -> {
          requireText(k, what + " key");
          copy.put(k, Objects.requireNonNull(v, "value of " + what + " '" + k + "'"));
        });
    return copy;
  }
}
