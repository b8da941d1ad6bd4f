package dev.thaw.orchestrator.metrics;

import dev.thaw.orchestrator.leases.LeaseSettings;
import dev.thaw.protocol.Heartbeat;
import io.micrometer.core.instrument.FunctionCounter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.Meter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Tags;
import io.quarkus.runtime.Startup;
import io.quarkus.scheduler.Scheduled;
import jakarta.enterprise.context.ApplicationScoped;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The workers the orchestrator hears from (lease requests and heartbeats), with the figures their
 * heartbeats bring: how many are connected, and per worker the seconds since it was last heard, its
 * latest epoch's time and throughput, its feature cache's hits and lookups.
 *
 * <p>Bounded: at most {@link MetricsSettings#maxWorkers()} workers have series (the one heard from
 * least recently is dropped first), and a worker silent for {@link
 * MetricsSettings#forgetWorkersAfter()} is dropped; a dropped worker's series are removed. The
 * {@code worker} label is the worker id, cut to {@value #MAX_LABEL} characters.
 */
@Startup
@ApplicationScoped
public class WorkerMetrics {
  static final int MAX_LABEL = 64;

  private final MeterRegistry registry;
  private final MetricsSettings settings;
  private final LeaseSettings leases;
  private final Map<String, Worker> workers = new LinkedHashMap<>(16, 0.75f, true);

  WorkerMetrics(MeterRegistry registry, MetricsSettings settings, LeaseSettings leases) {
    this.registry = registry;
    this.settings = settings;
    this.leases = leases;
    Gauge.builder("thaw.workers.connected", this, WorkerMetrics::connected)
        .description("Workers heard from within one lease duration (thaw.leases.seconds)")
        .register(registry);
  }

  /** The worker asked for a lease or sent a heartbeat. */
  public void heard(String workerId) {
    if (workerId == null || workerId.isBlank()) {
      return;
    }
    worker(workerId).lastHeard = System.currentTimeMillis();
  }

  /** The worker sent a heartbeat; its figures are checked already. */
  public void heartbeat(String workerId, Heartbeat beat) {
    if (workerId == null || workerId.isBlank()) {
      return;
    }
    Worker w = worker(workerId);
    w.lastHeard = System.currentTimeMillis();
    if (beat.epochSeconds() != null) {
      w.epochSeconds = beat.epochSeconds();
    }
    if (beat.samplesPerSecond() != null) {
      w.samplesPerSecond = beat.samplesPerSecond();
    }
    if (beat.featureCacheHits() != null) {
      w.cacheHits = beat.featureCacheHits();
    }
    if (beat.featureCacheLookups() != null) {
      w.cacheLookups = beat.featureCacheLookups();
    }
  }

  /** Drops the workers silent for too long; runs every 30 s. */
  @Scheduled(
      every = "30s",
      executeWith = Scheduled.SIMPLE,
      concurrentExecution = Scheduled.ConcurrentExecution.SKIP)
  void forgetSilent() {
    long cutoff = System.currentTimeMillis() - settings.forgetWorkersAfter().toMillis();
    List<Worker> gone = new ArrayList<>();
    synchronized (workers) {
      Iterator<Worker> it = workers.values().iterator();
      while (it.hasNext()) {
        Worker w = it.next();
        if (w.lastHeard < cutoff) {
          it.remove();
          gone.add(w);
        }
      }
    }
    gone.forEach(this::remove);
  }

  double connected() {
    long since = System.currentTimeMillis() - leases.seconds() * 1000L;
    synchronized (workers) {
      return workers.values().stream().filter(w -> w.lastHeard >= since).count();
    }
  }

  private Worker worker(String workerId) {
    String label = workerId.length() > MAX_LABEL ? workerId.substring(0, MAX_LABEL) : workerId;
    Worker dropped = null;
    Worker w;
    synchronized (workers) {
      w = workers.get(label);
      if (w == null) {
        if (workers.size() >= Math.max(1, settings.maxWorkers())) {
          Iterator<Worker> eldest = workers.values().iterator();
          dropped = eldest.next();
          eldest.remove();
        }
        w = new Worker(label);
        workers.put(label, w);
        register(w);
      }
    }
    if (dropped != null) {
      remove(dropped);
    }
    return w;
  }

  private void register(Worker w) {
    Tags tags = Tags.of("worker", w.label);
    w.meters.add(
        Gauge.builder("thaw.worker.heartbeat.age", w, Worker::ageSeconds)
            .description("Seconds since the worker was last heard from (lease or heartbeat)")
            .baseUnit("seconds")
            .tags(tags)
            .register(registry));
    w.meters.add(
        Gauge.builder("thaw.worker.epoch", w, x -> x.epochSeconds)
            .description("Wall time of the worker's latest finished epoch")
            .baseUnit("seconds")
            .tags(tags)
            .register(registry));
    w.meters.add(
        Gauge.builder("thaw.worker.samples.per.second", w, x -> x.samplesPerSecond)
            .description("Training samples per second in the worker's latest finished epoch")
            .tags(tags)
            .register(registry));
    w.meters.add(
        FunctionCounter.builder("thaw.worker.feature.cache.hits", w, x -> x.cacheHits)
            .description("Feature sets the worker's frozen-prefix cache served since it started")
            .tags(tags)
            .register(registry));
    w.meters.add(
        FunctionCounter.builder("thaw.worker.feature.cache.lookups", w, x -> x.cacheLookups)
            .description("Feature sets looked up in the worker's cache since it started")
            .tags(tags)
            .register(registry));
  }

  private void remove(Worker w) {
    w.meters.forEach(registry::remove);
  }

  /** One worker's figures; NaN until it reports them. */
  private static final class Worker {
    final String label;
    final List<Meter> meters = new ArrayList<>();
    volatile long lastHeard = System.currentTimeMillis();
    volatile double epochSeconds = Double.NaN;
    volatile double samplesPerSecond = Double.NaN;
    volatile double cacheHits;
    volatile double cacheLookups;

    Worker(String label) {
      this.label = label;
    }

    double ageSeconds() {
      return (System.currentTimeMillis() - lastHeard) / 1000.0;
    }
  }
}
