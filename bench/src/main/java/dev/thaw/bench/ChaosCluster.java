package dev.thaw.bench;

import dev.thaw.auth.TokenRole;
import java.io.IOException;
import java.net.ServerSocket;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The orchestrator and the workers of the chaos benchmark, each started through the launcher as a
 * user would ({@code ./thaw serve --port P --workers 0}, {@code ./thaw worker --orchestrator URL
 * --device cpu --worker-id ID}) with the scratch {@code THAW_CACHE}: the orchestrator's H2 file
 * store and the workers' MLflow spools live there, so a restarted orchestrator finds its state and
 * a worker restarted with the same id sends what its predecessor spooled.
 */
final class ChaosCluster implements AutoCloseable {
  private static final Duration READY_TIMEOUT = Duration.ofSeconds(180);

  /**
   * Tokens of the environment are not passed on: the orchestrator generates its own into the
   * scratch {@code THAW_CACHE}, where the workers and {@link SweepApi} read them, as on any host
   * that runs {@code ./thaw serve} on loopback; the throwaway MLflow server needs none.
   */
  private static final List<String> UNSET =
      List.of(TokenRole.API.envVar(), TokenRole.WORKER.envVar(), "MLFLOW_TRACKING_TOKEN");

  private final Path cache;
  private final Path logs;
  private final Map<String, String> env;
  private final int port;
  private final SweepApi api;
  private final Map<String, LauncherChild> workers = new LinkedHashMap<>();
  private LauncherChild orchestrator;
  private int orchestratorStarts;

  /**
   * @param cache the scratch {@code THAW_CACHE}
   * @param leaseSeconds the orchestrator's {@code thaw.leases.seconds}; workers heartbeat every
   *     quarter of it
   * @param mlflowUri the orchestrator's MLflow server ({@code MLFLOW_TRACKING_URI})
   */
  ChaosCluster(Path cache, int leaseSeconds, String mlflowUri) throws IOException {
    this.cache = cache;
    this.logs = Files.createDirectories(cache.resolve("bench-logs"));
    this.port = freePort();
    this.api = new SweepApi(URI.create("http://127.0.0.1:" + port), cache, "bench-chaos");
    Map<String, String> e = new LinkedHashMap<>();
    e.put("THAW_CACHE", cache.toString());
    // The orchestrator's MLflow server: sweeps that name none are tracked there.
    e.put("MLFLOW_TRACKING_URI", mlflowUri);
    e.put("THAW_LEASES_SECONDS", Integer.toString(leaseSeconds));
    e.put("THAW_LEASES_HEARTBEAT_SECONDS", Integer.toString(Math.max(1, leaseSeconds / 4)));
    // Three workers, the orchestrator and MLflow share the machine: one PyTorch thread each.
    e.put("THAW_THREADS", "1");
    this.env = Map.copyOf(e);
  }

  SweepApi api() {
    return api;
  }

  Path cache() {
    return cache;
  }

  /** Where the children's logs are: one per orchestrator and worker id, every start appended. */
  Path logs() {
    return logs;
  }

  /** Starts the orchestrator and waits until it is ready. */
  void startOrchestrator() throws IOException, InterruptedException {
    orchestratorStarts++;
    orchestrator =
        LauncherChild.start(
            "orchestrator",
            List.of("serve", "--port", Integer.toString(port), "--workers", "0"),
            env,
            UNSET,
            logs.resolve("orchestrator.log"));
    long deadline = System.nanoTime() + READY_TIMEOUT.toNanos();
    while (!api.ready()) {
      if (!orchestrator.isAlive()) {
        throw new IOException(
            "the orchestrator exited during start-up; its log:\n" + orchestrator.tail(30));
      }
      if (System.nanoTime() > deadline) {
        throw new IOException(
            "the orchestrator was not ready after "
                + READY_TIMEOUT.toSeconds()
                + " s; its log:\n"
                + orchestrator.tail(30));
      }
      Thread.sleep(250);
    }
  }

  /** {@code kill -9} of the orchestrator, then the same one again (port, store); waits for it. */
  void restartOrchestrator() throws IOException, InterruptedException {
    orchestrator.kill();
    startOrchestrator();
  }

  /** Starts (or restarts) the worker with this id. */
  void startWorker(String id) throws IOException {
    workers.put(
        id,
        LauncherChild.start(
            id,
            List.of(
                "worker",
                "--orchestrator",
                api.base().toString(),
                "--device",
                "cpu",
                "--worker-id",
                id),
            env,
            UNSET,
            logs.resolve(id + ".log")));
  }

  List<String> workerIds() {
    return new ArrayList<>(workers.keySet());
  }

  /**
   * The workers training a trial now, by their own output (the last trial line is a lease): the
   * ones worth killing. Only for picking a target; nothing is counted from it.
   */
  List<String> busyWorkerIds() {
    List<String> busy = new ArrayList<>();
    workers.forEach(
        (id, w) -> {
          if (w.isAlive() && holdsLease(w.linesSinceStart())) {
            busy.add(id);
          }
        });
    return busy;
  }

  /** True when the last of a worker's trial lines ({@code thaw worker}'s output) is a lease. */
  static boolean holdsLease(List<String> lines) {
    for (int i = lines.size() - 1; i >= 0; i--) {
      String l = lines.get(i);
      if (l.startsWith("leased trial ")) {
        return true;
      }
      if (l.matches("^(completed|stopped|failed|dropped|handed back) trial .*")) {
        return false;
      }
    }
    return false;
  }

  /** {@code kill -9} of the worker, then a new one with the same id. */
  void killWorker(String id) throws IOException, InterruptedException {
    workers.get(id).kill();
    startWorker(id);
  }

  /**
   * SIGTERM to the worker, which hands its trial back and exits; then a new one with the same id.
   *
   * @return whether it exited within its grace period (else it was killed)
   */
  boolean terminateWorker(String id) throws IOException, InterruptedException {
    boolean clean = workers.get(id).terminate(Duration.ofSeconds(60));
    startWorker(id);
    return clean;
  }

  /**
   * Stops the workers (SIGTERM: each ends its MLflow runs and sends its spool as far as the server
   * allows), then the orchestrator; kills what does not exit in time.
   */
  void stopAll() throws InterruptedException {
    for (LauncherChild w : workers.values()) {
      if (w.isAlive()) {
        w.terminate(Duration.ofSeconds(90));
      }
    }
    workers.clear();
    if (orchestrator != null && orchestrator.isAlive()) {
      orchestrator.terminate(Duration.ofSeconds(60));
    }
  }

  /** The ends of the logs of everything started, for a failure report. */
  String logTails() {
    StringBuilder s = new StringBuilder();
    try (var files = Files.list(logs)) {
      for (Path f : files.sorted().toList()) {
        List<String> lines = Files.readAllLines(f);
        s.append("--- ").append(f.getFileName()).append(" (last 15 lines)\n");
        lines
            .subList(Math.max(0, lines.size() - 15), lines.size())
            .forEach(l -> s.append(l).append('\n'));
      }
    } catch (IOException e) {
      s.append("(logs unreadable: ").append(e.getMessage()).append(")\n");
    }
    return s.toString();
  }

  int orchestratorStarts() {
    return orchestratorStarts;
  }

  @Override
  public void close() {
    try {
      stopAll();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      workers.values().forEach(LauncherChild::killQuietly);
      if (orchestrator != null) {
        orchestrator.killQuietly();
      }
    }
  }

  private static int freePort() throws IOException {
    try (ServerSocket s = new ServerSocket(0)) {
      return s.getLocalPort();
    }
  }
}
