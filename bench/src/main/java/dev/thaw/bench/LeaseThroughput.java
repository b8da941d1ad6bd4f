package dev.thaw.bench;

import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.stream.IntStream;
import org.apache.commons.math3.util.ResizableDoubleArray;

/**
 * Benchmark {@code lease-throughput}: leases per second, lease round trip and a worker's idle gap
 * (complete sent → next lease held) with 1, 8 and 64 simulated workers against the real
 * orchestrator, a child process on H2 and on PostgreSQL, each worker as fast as the orchestrator
 * answers; then 64 workers paced to offer 250 and 1,000 leases/s together. The workers train
 * nothing: this measures the orchestrator, its store and the HTTP path. Last line: {@code
 * lease_p99_ms: <worst p99 of the 1-worker and the paced rows>}: the round trip under a stated load
 * (at saturation it is the queueing that N workers with nothing else to do make, also printed).
 *
 * <p>Usage (from the repository root, after building the orchestrator): {@code LeaseThroughput
 * [seconds-per-config=20] [trials-per-sweep=1000] [stores=h2,postgresql] [rows=all]}, rows being
 * some of {@code 1,8,64,250/s,1000/s} (for comparing builds or JVM options on one row, repeatedly).
 */
public final class LeaseThroughput {
  private static final int[] WORKERS = {1, 8, 64};

  /** Workers of the paced configurations, and the leases per second they offer together. */
  private static final int PACED_WORKERS = 64;

  private static final int[] PACED_RATES = {250, 1_000};

  /** The rows measured (all unless the fourth argument names some): workers, or a paced rate. */
  private static Set<String> rowsWanted = Set.of("1", "8", "64", "250/s", "1000/s");

  private static final int WARM_UP_WORKERS = 8;
  private static final long RAMP_MILLIS = 2_000;
  private static final long LEASE_SECONDS = 86_400;

  /**
   * Leases per second assumed for the rows at {@code max} when sizing the queue before the workers
   * start (above what this 2-core machine reaches); a faster orchestrator gets sweeps submitted
   * inside the window, and its row says how many.
   */
  private static final int MAX_RATE_ASSUMED = 2_500;

  /** One measured configuration. */
  record Row(
      String store,
      int workers,
      int pacedRate,
      int sweeps,
      int sweepsInWindow,
      double submitP50,
      int leases,
      double seconds,
      boolean exhausted,
      LatencySummary lease,
      LatencySummary idleGap,
      LatencySummary heartbeat,
      LatencySummary complete,
      double otherCores) {
    double leasesPerSecond() {
      return leases / seconds;
    }
  }

  private LeaseThroughput() {}

  public static void main(String[] args) throws Exception {
    int seconds;
    int trials;
    try {
      seconds = args.length > 0 ? Integer.parseInt(args[0]) : 20;
      trials = args.length > 1 ? Integer.parseInt(args[1]) : 1_000;
    } catch (NumberFormatException e) {
      usage("not a whole number: " + e.getMessage());
      return;
    }
    List<String> stores = List.of((args.length > 2 ? args[2] : "h2,postgresql").split(","));
    if (seconds < 1) {
      usage("seconds-per-config must be >= 1 (got " + seconds + ")");
    }
    if (trials < 100) {
      usage("trials-per-sweep must be >= 100 (got " + trials + ")");
    }
    if (!List.of("h2", "postgresql").containsAll(stores)) {
      usage("stores must be h2, postgresql or both, comma-separated (got " + args[2] + ")");
    }
    if (args.length > 3 && !args[3].equals("all")) {
      Set<String> wanted = Set.of(args[3].split(","));
      if (!rowsWanted.containsAll(wanted)) {
        usage("rows must be all, or some of 1,8,64,250/s,1000/s (got " + args[3] + ")");
      }
      rowsWanted = wanted;
    }
    System.out.println(machine());
    System.out.printf(
        Locale.ROOT,
        "%d s per configuration after a %d s ramp-up; %d s warm-up with %d workers per store;"
            + " grid sweeps of %d trials, enough queued before each configuration's workers"
            + " start%n",
        seconds,
        RAMP_MILLIS / 1000,
        warmUpSeconds(seconds),
        WARM_UP_WORKERS,
        BenchSweep.trials(trials));
    List<Row> rows = new ArrayList<>();
    if (stores.contains("h2")) {
      rows.addAll(runH2(seconds, trials));
    }
    if (!stores.contains("postgresql")) {
      System.out.println("postgresql: not asked for");
    } else if (ThrowawayPostgres.available()) {
      rows.addAll(runPostgres(seconds, trials));
    } else {
      System.out.println(
          "postgresql: skipped (no server binaries in /usr/lib/postgresql/*/bin;"
              + " apt-get install postgresql)");
    }
    System.out.println();
    printTable(rows);
    if (rows.isEmpty()) {
      System.out.println("lease_p99_ms: NaN");
      return;
    }
    Optional<Row> saturated =
        rows.stream()
            .filter(r -> r.pacedRate() == 0 && r.workers() > 1)
            .max(Comparator.comparingDouble(r -> r.lease().p99()));
    saturated.ifPresent(LeaseThroughput::printSaturated);
    // The headline: a lease's round trip under a stated load, not its queueing at saturation.
    List<Row> loaded = rows.stream().filter(r -> r.pacedRate() > 0 || r.workers() == 1).toList();
    if (loaded.isEmpty()) {
      System.out.println("lease_p99_ms: NaN (neither the 1-worker nor a paced row was measured)");
      return;
    }
    Row worst = loaded.stream().max(Comparator.comparingDouble(r -> r.lease().p99())).orElseThrow();
    System.out.printf(
        Locale.ROOT,
        "worst lease p99 with 1 worker or %d paced workers (offering %s leases/s): %s, %s (goals:"
            + " p99 < 10 ms, >= 1000 leases/s, idle gap < 200 ms)%n",
        PACED_WORKERS,
        java.util.Arrays.toString(PACED_RATES),
        worst.store(),
        worst.pacedRate() > 0 ? "paced at " + worst.pacedRate() + "/s" : "1 worker");
    System.out.printf(Locale.ROOT, "lease_p99_ms: %.2f%n", worst.lease().p99());
  }

  private static void printSaturated(Row saturated) {
    System.out.printf(
        Locale.ROOT,
        "as fast as the orchestrator answers (load max), the worst lease p99 is %.2f ms: %s with %d"
            + " workers, whose round trip is mostly queueing (N workers / leases per second per"
            + " cycle)%n",
        saturated.lease().p99(),
        saturated.store(),
        saturated.workers());
  }

  private static void usage(String problem) {
    System.err.println("lease-throughput: " + problem);
    System.err.println(
        "usage: ./thaw bench lease-throughput [seconds-per-config=20] [trials-per-sweep=1000]"
            + " [stores=h2,postgresql] [rows=all|1,8,64,250/s,1000/s]");
    System.exit(2);
  }

  private static List<Row> runH2(int seconds, int trials) throws Exception {
    try (ScratchDir dir = new ScratchDir("thaw-bench-h2.")) {
      Map<String, String> props = baseProperties();
      props.put("quarkus.datasource.h2.jdbc.url", "jdbc:h2:file:" + dir.path().resolve("thaw"));
      try (OrchestratorProcess o =
          OrchestratorProcess.start(props, Map.of(), dir.path().resolve("orchestrator.log"))) {
        return measureStore("h2", o, List.of(o.pid()), seconds, trials);
      }
    }
  }

  private static List<Row> runPostgres(int seconds, int trials) throws Exception {
    try (ScratchDir logDir = new ScratchDir("thaw-bench-pglog.");
        ThrowawayPostgres pg = ThrowawayPostgres.start()) {
      Map<String, String> props = baseProperties();
      props.put("quarkus.profile", "prod,postgresql");
      Map<String, String> env =
          Map.of(
              "THAW_DB_URL",
              pg.url(),
              "THAW_DB_USER",
              pg.user(),
              "THAW_DB_PASSWORD",
              pg.password());
      try (OrchestratorProcess o =
          OrchestratorProcess.start(props, env, logDir.path().resolve("orchestrator.log"))) {
        return measureStore("postgresql", o, List.of(o.pid(), pg.serverPid()), seconds, trials);
      }
    }
  }

  private static Map<String, String> baseProperties() {
    Map<String, String> props = new LinkedHashMap<>();
    props.put("thaw.sweeps.source-groups", "4");
    // Nothing expires during the run: no lease is ever requeued by the reaper.
    props.put("thaw.leases.seconds", String.valueOf(LEASE_SECONDS));
    return props;
  }

  private static List<Row> measureStore(
      String store, OrchestratorProcess orchestrator, List<Long> pids, int seconds, int trials)
      throws Exception {
    List<Long> ours = new ArrayList<>(pids);
    ours.add(ProcessHandle.current().pid());
    OtherProcessesCpu others = new OtherProcessesCpu(ours);
    System.out.printf(
        Locale.ROOT,
        "%s: orchestrator pid %d at %s%n",
        store,
        orchestrator.pid(),
        orchestrator.base());
    run(store, orchestrator, WARM_UP_WORKERS, 0, warmUpSeconds(seconds), trials, "warm-up", others);
    List<Row> rows = new ArrayList<>();
    for (int workers : WORKERS) {
      if (!rowsWanted.contains(String.valueOf(workers))) {
        continue;
      }
      Row row = run(store, orchestrator, workers, 0, seconds, trials, "measure", others);
      printRow(row);
      rows.add(row);
    }
    for (int rate : PACED_RATES) {
      if (!rowsWanted.contains(rate + "/s")) {
        continue;
      }
      Row paced = run(store, orchestrator, PACED_WORKERS, rate, seconds, trials, "paced", others);
      printRow(paced);
      rows.add(paced);
    }
    return rows;
  }

  /**
   * Runs {@code workers} simulated workers through a ramp-up and the measured window, with a {@link
   * SweepFeeder} keeping trials queued; cancels the sweeps afterwards. With {@code pacedRate} > 0
   * the workers together offer that many leases per second (each one trial per {@code workers /
   * pacedRate} s); with 0 each goes as fast as the orchestrator answers.
   */
  private static Row run(
      String store,
      OrchestratorProcess orchestrator,
      int workers,
      int pacedRate,
      int seconds,
      int trials,
      String label,
      OtherProcessesCpu others)
      throws Exception {
    MeasurementWindow window = new MeasurementWindow();
    List<SimulatedWorker.Samples> samples = new ArrayList<>();
    int sweeps;
    int inWindow = 0;
    double submitP50;
    double otherCores;
    try (BenchApiClient admin = new BenchApiClient(orchestrator)) {
      SweepFeeder feeder = new SweepFeeder(admin, store + "-" + label + "-" + workers, trials);
      long expected =
          (long) (pacedRate > 0 ? pacedRate : MAX_RATE_ASSUMED) * (RAMP_MILLIS / 1000 + seconds);
      feeder.prefill(expected + expected / 4);
      List<BenchApiClient> clients =
          IntStream.range(0, workers).mapToObj(i -> new BenchApiClient(orchestrator)).toList();
      long trialNanos = pacedRate > 0 ? TimeUnit.SECONDS.toNanos(workers) / pacedRate : 0;
      ExecutorService pool = Executors.newFixedThreadPool(workers);
      try {
        List<Future<SimulatedWorker.Samples>> futures = new ArrayList<>();
        for (int i = 0; i < workers; i++) {
          futures.add(
              pool.submit(
                  new SimulatedWorker(
                      clients.get(i), "bench-worker-" + i, window, feeder.leased(), trialNanos)));
        }
        long rampEnd = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(RAMP_MILLIS);
        keepFed(feeder, futures, window, rampEnd);
        window.open();
        others.start();
        int before = feeder.sweeps();
        keepFed(feeder, futures, window, System.nanoTime() + TimeUnit.SECONDS.toNanos(seconds));
        window.close();
        inWindow = feeder.sweeps() - before;
        otherCores = others.coresSinceStart();
        for (Future<SimulatedWorker.Samples> f : futures) {
          samples.add(f.get(120, TimeUnit.SECONDS));
        }
      } finally {
        pool.shutdownNow();
        clients.forEach(BenchApiClient::close);
        feeder.cancelAll();
      }
      sweeps = feeder.sweeps();
      submitP50 =
          LatencySummary.of(
                  feeder.submitMillis().stream().mapToDouble(Double::doubleValue).toArray())
              .p50();
    }
    if (window.wasExhausted()) {
      System.out.printf(
          Locale.ROOT,
          "%s, %d workers: the queue ran dry after %.1f s of %d (sweeps were not submitted fast"
              + " enough); pass a larger trials-per-sweep%n",
          store,
          workers,
          window.seconds(),
          seconds);
    }
    return new Row(
        store,
        workers,
        pacedRate,
        sweeps,
        inWindow,
        submitP50,
        samples.stream().mapToInt(SimulatedWorker.Samples::leases).sum(),
        window.seconds(),
        window.wasExhausted(),
        summary(samples, SimulatedWorker.Samples::lease),
        summary(samples, SimulatedWorker.Samples::idleGap),
        summary(samples, SimulatedWorker.Samples::heartbeat),
        summary(samples, SimulatedWorker.Samples::complete),
        otherCores);
  }

  /**
   * Tops the queue up until {@code until} (nanoTime), a worker ends early, or the queue ran dry.
   */
  private static void keepFed(
      SweepFeeder feeder, List<? extends Future<?>> futures, MeasurementWindow window, long until)
      throws Exception {
    while (System.nanoTime() < until && !window.stopping()) {
      if (anyDone(futures)) {
        window.close();
        for (Future<?> f : futures) {
          if (f.isDone()) {
            f.get(); // throws the worker's failure
          }
        }
      }
      feeder.topUp();
      Thread.sleep(50);
    }
  }

  /** A worker that ended early has failed (its future holds the exception) or found no trial. */
  private static boolean anyDone(List<? extends Future<?>> futures) {
    return futures.stream().anyMatch(Future::isDone);
  }

  private static LatencySummary summary(
      List<SimulatedWorker.Samples> samples,
      java.util.function.Function<SimulatedWorker.Samples, ResizableDoubleArray> which) {
    return LatencySummary.of(
        samples.stream()
            .flatMapToDouble(s -> java.util.Arrays.stream(which.apply(s).getElements()))
            .toArray());
  }

  private static int warmUpSeconds(int seconds) {
    return Math.max(5, seconds);
  }

  private static final String HEADER =
      String.format(
          Locale.ROOT,
          "%-10s %7s %7s %6s %6s %6s %7s %6s %9s %9s %9s %9s %9s %9s %9s %9s %6s",
          "store",
          "workers",
          "load",
          "sweeps",
          "in_win",
          "sub_ms",
          "leases",
          "secs",
          "leases/s",
          "lease_p50",
          "lease_p99",
          "lease_max",
          "gap_p50",
          "gap_p99",
          "compl_p50",
          "compl_p99",
          "others");

  private static void printTable(List<Row> rows) {
    System.out.println(
        "times in ms; gap = complete sent -> next lease held; compl = complete(-and-lease) call;"
            + " in_win = sweeps submitted inside the window (the queue is filled before it);"
            + " sub_ms = median time to submit one sweep");
    System.out.println(HEADER);
    rows.forEach(r -> System.out.println(format(r)));
  }

  private static void printRow(Row r) {
    System.out.println(format(r));
  }

  private static String format(Row r) {
    return String.format(
        Locale.ROOT,
        "%-10s %7d %7s %6d %6d %6.0f %7d %6.1f %9.0f %9.2f %9.2f %9.2f %9.2f %9.2f %9.2f %9.2f"
            + " %6.2f%s",
        r.store(),
        r.workers(),
        r.pacedRate() > 0 ? r.pacedRate() + "/s" : "max",
        r.sweeps(),
        r.sweepsInWindow(),
        r.submitP50(),
        r.leases(),
        r.seconds(),
        r.leasesPerSecond(),
        r.lease().p50(),
        r.lease().p99(),
        r.lease().max(),
        r.idleGap().p50(),
        r.idleGap().p99(),
        r.complete().p50(),
        r.complete().p99(),
        r.otherCores(),
        r.exhausted() ? "  (queue ran dry)" : "");
  }

  private static String machine() {
    long memory =
        ((com.sun.management.OperatingSystemMXBean) ManagementFactory.getOperatingSystemMXBean())
            .getTotalMemorySize();
    return String.format(
        Locale.ROOT,
        "%d cores (%s), %.0f GiB, JDK %s; client and orchestrator share them; load average %s",
        Runtime.getRuntime().availableProcessors(),
        System.getProperty("os.arch"),
        memory / (1024.0 * 1024 * 1024),
        Runtime.version(),
        loadAverage());
  }

  private static String loadAverage() {
    try {
      String[] f = Files.readString(Path.of("/proc/loadavg")).split(" ");
      return f[0] + " " + f[1] + " " + f[2];
    } catch (IOException e) {
      return "unknown";
    }
  }
}
