package dev.thaw.bench;

import com.fasterxml.jackson.databind.JsonNode;
import dev.thaw.auth.TokenRole;
import dev.thaw.bench.SweepVsOptunaGrid.Config;
import dev.thaw.data.ThawPaths;
import java.io.IOException;
import java.net.ServerSocket;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.function.BooleanSupplier;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Thaw's side of {@code sweep-vs-optuna}: the packaged orchestrator ({@code ./thaw serve --workers
 * 0}) and one {@code ./thaw worker} (2 PyTorch threads, its feature cache at the defaults), both
 * started through the launcher with a scratch {@code THAW_CACHE} (the user's converted datasets and
 * zoo weights linked in; the orchestrator's H2 store and the worker's spilled features start
 * empty). No MLflow: {@code MLFLOW_TRACKING_URI} is not passed on, so sweeps run untracked, which
 * the orchestrator allows. The sweep is submitted once the orchestrator is ready and the worker has
 * said it pulls; the sweep's wall time runs from that submission to the moment its state is no
 * longer {@code running} (polled every 100 ms).
 */
final class SweepVsOptunaThaw {
  private static final Duration READY_TIMEOUT = Duration.ofSeconds(180);
  private static final Duration SWEEP_TIMEOUT = Duration.ofHours(2);
  private static final List<String> UNSET =
      List.of(
          TokenRole.API.envVar(),
          TokenRole.WORKER.envVar(),
          "MLFLOW_TRACKING_URI",
          "MLFLOW_TRACKING_TOKEN",
          "THAW_FEATURE_CACHE_MEMORY_MB",
          "THAW_FEATURE_CACHE_DISK_MB",
          "THAW_FEATURE_CACHE_DIR");
  private static final Pattern CACHE_LINE =
      Pattern.compile(
          "^\\s*trial (\\S+) feature cache: (\\d+) hit\\(s\\), (\\d+) partial, (\\d+) miss\\(es\\).*");

  /** One trial as the orchestrator stored it, with the worker's feature-cache line. */
  record Trial(
      Config config, int number, double valAccuracy, int bestEpoch, double seconds, String cache) {}

  /**
   * @param trials by the orchestrator's trial number
   * @param startupSeconds from starting the orchestrator to the worker pulling (the worker starts
   *     once the orchestrator is ready)
   * @param sweepSeconds from submission to the sweep's end
   * @param state the sweep's final state
   * @param otherCores cores other processes used from the start to the sweep's end
   */
  record Result(
      List<Trial> trials,
      double startupSeconds,
      double sweepSeconds,
      String state,
      double otherCores) {}

  private SweepVsOptunaThaw() {}

  /**
   * Runs the sweep; {@code others} is started, and read at the sweep's end while the orchestrator
   * and the worker still run (their CPU is this benchmark's own only while /proc shows them).
   */
  static Result run(SweepVsOptunaGrid grid, int threads, OtherProcessesCpu others)
      throws IOException, InterruptedException {
    try (ScratchDir scratch = new ScratchDir("thaw-bench-sweep-vs-optuna.")) {
      Path cache = Files.createDirectories(scratch.path().resolve("cache"));
      for (String shared : List.of("datasets", "zoo")) {
        Path mine = ThawPaths.cacheDir().resolve(shared);
        if (Files.isDirectory(mine)) {
          Files.createSymbolicLink(cache.resolve(shared), mine.toAbsolutePath());
        }
      }
      Path logs = Files.createDirectories(scratch.path().resolve("logs"));
      int port = freePort();
      URI base = URI.create("http://127.0.0.1:" + port);
      Map<String, String> env =
          Map.of("THAW_CACHE", cache.toString(), "THAW_THREADS", "" + threads);
      others.start();
      long t0 = System.nanoTime();
      LauncherChild orchestrator =
          LauncherChild.start(
              "orchestrator",
              List.of("serve", "--port", Integer.toString(port), "--workers", "0"),
              env,
              UNSET,
              logs.resolve("orchestrator.log"));
      LauncherChild worker = null;
      try {
        SweepApi api = new SweepApi(base, cache, "bench-sweep-vs-optuna");
        long deadline = System.nanoTime() + READY_TIMEOUT.toNanos();
        awaitStart(orchestrator, api::ready, deadline);
        // The worker reads the token the orchestrator generated at its start.
        worker =
            LauncherChild.start(
                "worker",
                List.of(
                    "worker",
                    "--orchestrator",
                    base.toString(),
                    "--device",
                    "cpu",
                    "--worker-id",
                    "sweep-vs-optuna"),
                env,
                UNSET,
                logs.resolve("worker.log"));
        LauncherChild w = worker;
        awaitStart(worker, () -> pulls(w), deadline);
        long t1 = System.nanoTime();
        String sweepId = api.submit(grid.yaml("sweep-vs-optuna-" + System.currentTimeMillis()));
        JsonNode detail;
        long end = t1 + SWEEP_TIMEOUT.toNanos();
        while (true) {
          detail = api.detail(sweepId);
          if (!"running".equals(detail.path("sweep").path("state").asText())) {
            break;
          }
          if (!worker.isAlive() || System.nanoTime() > end) {
            throw new IOException("the sweep did not end; the worker's log:\n" + worker.tail(30));
          }
          Thread.sleep(100);
        }
        long t2 = System.nanoTime();
        double otherCores = others.coresSinceStart();
        Map<String, String> cacheLines = cacheLines(worker.linesSinceStart());
        List<Trial> trials = new ArrayList<>();
        for (JsonNode t : detail.path("trials")) {
          String id = t.path("id").asText();
          trials.add(
              new Trial(
                  Config.fromParams(t.path("params")),
                  t.path("number").asInt(),
                  t.path("objective").asDouble(Double.NaN),
                  t.path("best_epoch").asInt(-1),
                  seconds(t.path("started_at").asText(null), t.path("finished_at").asText(null)),
                  cacheLines.getOrDefault(id, "-")));
        }
        return new Result(
            trials,
            (t1 - t0) / 1e9,
            (t2 - t1) / 1e9,
            detail.path("sweep").path("state").asText(),
            otherCores);
      } catch (IOException | RuntimeException e) {
        System.err.println("--- orchestrator\n" + orchestrator.tail(30));
        if (worker != null) {
          System.err.println("--- worker\n" + worker.tail(30));
        }
        throw e;
      } finally {
        if (worker != null) {
          worker.terminate(Duration.ofSeconds(30));
        }
        orchestrator.terminate(Duration.ofSeconds(30));
      }
    }
  }

  private static void awaitStart(LauncherChild child, BooleanSupplier started, long deadline)
      throws IOException, InterruptedException {
    while (!started.getAsBoolean()) {
      if (!child.isAlive()) {
        throw new IOException(
            child.name() + " exited during start-up; its log:\n" + child.tail(30));
      }
      if (System.nanoTime() > deadline) {
        throw new IOException(
            child.name()
                + " not ready after "
                + READY_TIMEOUT.toSeconds()
                + " s:\n"
                + child.tail(30));
      }
      Thread.sleep(50);
    }
  }

  private static boolean pulls(LauncherChild worker) {
    return worker.linesSinceStart().stream().anyMatch(l -> l.contains(" pulls from "));
  }

  /** The worker's {@code trial T feature cache: ...} lines as {@code hits/partial/misses} by T. */
  static Map<String, String> cacheLines(List<String> lines) {
    Map<String, String> byTrial = new HashMap<>();
    for (String l : lines) {
      Matcher m = CACHE_LINE.matcher(l);
      if (m.matches()) {
        byTrial.put(m.group(1), m.group(2) + "/" + m.group(3) + "/" + m.group(4));
      }
    }
    return byTrial;
  }

  private static double seconds(String from, String to) {
    if (from == null || to == null) {
      return Double.NaN;
    }
    return Duration.between(Instant.parse(from), Instant.parse(to)).toNanos() / 1e9;
  }

  private static int freePort() throws IOException {
    try (ServerSocket s = new ServerSocket(0)) {
      return s.getLocalPort();
    }
  }

  /** The user API with the token the orchestrator generated into the scratch cache. */
}
