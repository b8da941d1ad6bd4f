package dev.thaw.bench;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

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
  static final int PACED_WORKERS = 64;

  static final int[] PACED_RATES = {250, 1_000};

  /** The rows measured (all unless the fourth argument names some): workers, or a paced rate. */
  private static Set<String> rowsWanted = Set.of("1", "8", "64", "250/s", "1000/s");

  private static final int WARM_UP_WORKERS = 8;
  static final long RAMP_MILLIS = 2_000;
  private static final long LEASE_SECONDS = 86_400;

  /**
   * Leases per second assumed for the rows at {@code max} when sizing the queue before the workers
   * start (above what this 2-core machine reaches); a faster orchestrator gets sweeps submitted
   * inside the window, and its row says how many.
   */
  static final int MAX_RATE_ASSUMED = 2_500;

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
    System.out.println(LeaseThroughputTable.machine());
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
    List<LeaseRow> rows = new ArrayList<>();
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
    LeaseThroughputTable.printSummary(rows);
  }

  private static void usage(String problem) {
    System.err.println("lease-throughput: " + problem);
    System.err.println(
        "usage: ./thaw bench lease-throughput [seconds-per-config=20] [trials-per-sweep=1000]"
            + " [stores=h2,postgresql] [rows=all|1,8,64,250/s,1000/s]");
    System.exit(2);
  }

  private static List<LeaseRow> runH2(int seconds, int trials) throws Exception {
    try (ScratchDir dir = new ScratchDir("thaw-bench-h2.")) {
      Map<String, String> props = baseProperties();
      props.put("quarkus.datasource.h2.jdbc.url", "jdbc:h2:file:" + dir.path().resolve("thaw"));
      try (OrchestratorProcess o =
          OrchestratorProcess.start(props, Map.of(), dir.path().resolve("orchestrator.log"))) {
        return measureStore("h2", o, List.of(o.pid()), seconds, trials);
      }
    }
  }

  private static List<LeaseRow> runPostgres(int seconds, int trials) throws Exception {
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

  private static List<LeaseRow> measureStore(
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
    LeaseLoad.run(
        store, orchestrator, WARM_UP_WORKERS, 0, warmUpSeconds(seconds), trials, "warm-up", others);
    List<LeaseRow> rows = new ArrayList<>();
    for (int workers : WORKERS) {
      if (!rowsWanted.contains(String.valueOf(workers))) {
        continue;
      }
      LeaseRow row =
          LeaseLoad.run(store, orchestrator, workers, 0, seconds, trials, "measure", others);
      LeaseThroughputTable.printRow(row);
      rows.add(row);
    }
    for (int rate : PACED_RATES) {
      if (!rowsWanted.contains(rate + "/s")) {
        continue;
      }
      LeaseRow paced =
          LeaseLoad.run(store, orchestrator, PACED_WORKERS, rate, seconds, trials, "paced", others);
      LeaseThroughputTable.printRow(paced);
      rows.add(paced);
    }
    return rows;
  }

  private static int warmUpSeconds(int seconds) {
    return Math.max(5, seconds);
  }
}
