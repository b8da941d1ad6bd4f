package dev.thaw.bench;

import dev.thaw.bench.ChaosCount.Tally;
import dev.thaw.bench.ChaosRecords.Run;
import dev.thaw.data.ThawPaths;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * Benchmark {@code chaos}: a real sweep of short trials ({@link ChaosSweep}) on the packaged
 * orchestrator (H2 file store), three {@code thaw worker} processes and a real MLflow server, all
 * started through the launcher with a scratch {@code THAW_CACHE}, while the benchmark kills workers
 * with {@code kill -9}, SIGTERMs one, restarts the orchestrator with {@code kill -9} and stops
 * MLflow for a minute ({@link ChaosSchedule}). Afterwards it lets the spools drain, stops
 * everything, and counts from the orchestrator's store and MLflow's REST API ({@link ChaosCount})
 * the trials completed, lost and duplicated, the retries used and the MLflow metrics missing. Last
 * line: {@code chaos_lost_or_duplicated: N} (goal 0).
 *
 * <p>Usage (from the repository root; {@code ./thaw bench chaos} builds what it needs): {@code
 * Chaos [trials=24, a multiple of 8] [mlflow-outage-seconds=60] [lease-seconds=12] [seed=1]}.
 */
public final class Chaos {
  private static final int WORKERS = 3;

  /** Environment variable: a directory to copy the children's logs to. */
  static final String KEEP_LOGS_ENV = "THAW_BENCH_CHAOS_LOGS";

  private static final Duration SWEEP_DEADLINE = Duration.ofMinutes(30);

  /** How long the workers' spools get to reach MLflow after the sweep before counting anyway. */
  private static final Duration DRAIN = Duration.ofMinutes(3);

  /**
   * Runs still RUNNING once every completed trial has its FINISHED run and nothing changed in
   * MLflow for this long are left as they are (counted as left running).
   */
  private static final Duration STILL = Duration.ofSeconds(60);

  private Chaos() {}

  public static void main(String[] args) throws Exception {
    int trials = intArg(args, 0, 24);
    int outageSeconds = intArg(args, 1, 60);
    int leaseSeconds = intArg(args, 2, 12);
    long seed = intArg(args, 3, 1);
    if (trials < ChaosSweep.POINTS_PER_BATCH_SIZE
        || trials % ChaosSweep.POINTS_PER_BATCH_SIZE != 0) {
      usage("trials must be a multiple of 8 (got " + trials + ")");
    }
    if (outageSeconds < 1 || leaseSeconds < 4) {
      usage("mlflow-outage-seconds must be >= 1 and lease-seconds >= 4");
    }
    System.out.printf(
        Locale.ROOT,
        "chaos: %d trials (grid freeze_depth x lr_head x batch_size; scratch:thaw-cnn, mnist %d"
            + " labels per class, %d epochs), %d workers, lease %d s, retries %d, MLflow outage %d"
            + " s, seed %d; %d cores%n",
        trials,
        ChaosSweep.LABELS_PER_CLASS,
        ChaosSweep.EPOCHS,
        WORKERS,
        leaseSeconds,
        ChaosSweep.RETRIES,
        outageSeconds,
        seed,
        Runtime.getRuntime().availableProcessors());
    long start = System.nanoTime();
    try (ThrowawayMlflow mlflow = ThrowawayMlflow.start();
        ScratchDir scratch = new ScratchDir("thaw-bench-chaos.");
        ChaosCluster cluster =
            new ChaosCluster(scratch.path().resolve("cache"), leaseSeconds, mlflow.uri())) {
      shareDatasets(cluster.cache());
      try {
        run(cluster, mlflow, trials, Duration.ofSeconds(outageSeconds), seed, start);
      } catch (Exception e) {
        System.err.println("chaos: failed: " + e);
        System.err.println(cluster.logTails());
        throw e;
      } finally {
        keepLogs(cluster);
      }
    }
  }

  private static void run(
      ChaosCluster cluster,
      ThrowawayMlflow mlflow,
      int trials,
      Duration outage,
      long seed,
      long start)
      throws Exception {
    ChaosStrikes strikes = new ChaosStrikes(cluster, mlflow, outage, seed, start);
    cluster.startOrchestrator();
    for (int i = 1; i <= WORKERS; i++) {
      cluster.startWorker("chaos-w" + i);
    }
    String name = "chaos-" + System.currentTimeMillis() / 1000;
    String sweepId = cluster.api().submit(ChaosSweep.yaml(name, trials, name));
    strikes.say(
        "orchestrator at %s, MLflow at %s, %d workers; sweep %s submitted",
        cluster.api().base(), mlflow.uri(), WORKERS, sweepId);
    ChaosStrikes.Outcome outcome =
        strikes.run(sweepId, ChaosSchedule.forTrials(trials), SWEEP_DEADLINE);
    strikes.say(
        "sweep %s: %s, %d completed",
        sweepId,
        outcome.last() == null ? "unknown" : outcome.last().state(),
        outcome.last() == null ? 0 : outcome.last().completed());
    MlflowRuns runs = new MlflowRuns(mlflow.uri());
    int expectFinished = outcome.last() == null ? trials : outcome.last().completed();
    boolean drained = awaitDrained(runs, name, expectFinished);
    strikes.say(
        drained
            ? "MLflow drained: a FINISHED run per completed trial, none still running"
            : "MLflow not drained (runs still RUNNING, or completed trials without a FINISHED run,"
                + " and no change for %d s or %d s in all); counted as it is",
        STILL.toSeconds(),
        DRAIN.toSeconds());
    cluster.stopAll();
    strikes.say("workers and orchestrator stopped; counting");
    List<Run> childRuns = runs.childRuns(name, true);
    ChaosStore.Contents store = ChaosStore.read(cluster.cache(), sweepId);
    Tally tally = ChaosCount.of(trials, store.trials(), store.attempts(), childRuns);
    long seconds = TimeUnit.NANOSECONDS.toSeconds(System.nanoTime() - start);
    System.out.println();
    print(tally, outcome, cluster.orchestratorStarts(), seconds);
  }

  /**
   * Waits until MLflow holds a FINISHED child run for {@code completed} trials and no child run is
   * still RUNNING (the workers' spools have sent everything, the orchestrator has marked the runs
   * of killed workers' attempts), at most {@link #DRAIN}; runs still RUNNING with nothing changing
   * for {@link #STILL} are not waited for longer. True when drained.
   */
  private static boolean awaitDrained(MlflowRuns runs, String experiment, int completed)
      throws InterruptedException {
    long end = System.nanoTime() + DRAIN.toNanos();
    List<String> seen = List.of();
    long seenSince = System.nanoTime();
    while (System.nanoTime() < end) {
      try {
        List<Run> now = runs.childRuns(experiment, false);
        long finishedTrials =
            now.stream().filter(Run::finished).map(Run::trialId).distinct().count();
        boolean running = now.stream().anyMatch(r -> "RUNNING".equals(r.status()));
        List<String> state = now.stream().map(r -> r.runId() + " " + r.status()).sorted().toList();
        if (!state.equals(seen)) {
          seen = state;
          seenSince = System.nanoTime();
        }
        boolean still = System.nanoTime() - seenSince > STILL.toNanos();
        if (finishedTrials >= completed && (!running || still)) {
          return !running;
        }
      } catch (java.io.IOException notNow) {
        // asked again below
      }
      Thread.sleep(3_000);
    }
    return false;
  }

  private static void print(
      Tally t, ChaosStrikes.Outcome outcome, int orchestratorStarts, long seconds) {
    row("trials expected", t.expected(), "");
    row("trials completed", t.completed(), "with a stored result");
    row("lost", t.lost(), t.lostBy().isEmpty() ? "" : "by state: " + t.lostBy());
    row(
        "duplicated results (store)",
        t.duplicatedResults() + t.duplicatedTrials(),
        "second accepted report "
            + t.duplicatedResults()
            + ", grid point created twice "
            + t.duplicatedTrials());
    row(
        "duplicated runs (MLflow)",
        t.duplicatedRunsPerAttempt() + t.duplicatedFinishedRuns(),
        "extra runs of one attempt "
            + t.duplicatedRunsPerAttempt()
            + ", extra FINISHED attempts of one trial "
            + t.duplicatedFinishedRuns());
    row(
        "retries used",
        t.retriesUsed(),
        "attempts expired "
            + t.attemptsBy().getOrDefault("EXPIRED", 0)
            + ", failed "
            + t.attemptsBy().getOrDefault("FAILED", 0));
    row("hand-backs (no retry)", t.attemptsBy().getOrDefault("HANDED_BACK", 0), "");
    row("attempts", sum(t.attemptsBy()), "by state: " + t.attemptsBy());
    row("MLflow child runs", sum(t.runsBy()), "by status: " + t.runsBy());
    row(
        "MLflow metrics missing",
        t.metricsMissing(),
        "of "
            + t.metricPointsExpected()
            + " epoch metric points; completed attempts without a run: "
            + t.runsMissing());
    row("MLflow runs left RUNNING", t.runsLeftRunning(), "their attempt ended in the store");
    row("orchestrator starts", orchestratorStarts, "");
    t.findings().forEach(f -> System.out.println("  " + f));
    if (!outcome.strikesNotDone().isEmpty()) {
      System.out.println("strikes not done (the sweep ended first): " + outcome.strikesNotDone());
    }
    if (outcome.timedOut()) {
      System.out.println("the sweep did not end within " + SWEEP_DEADLINE.toMinutes() + " min");
    }
    System.out.printf(Locale.ROOT, "took %d:%02d%n", seconds / 60, seconds % 60);
    System.out.println("chaos_lost_or_duplicated: " + t.lostOrDuplicated());
  }

  private static void row(String what, int n, String detail) {
    System.out.printf(Locale.ROOT, "%-28s %5d  %s%n", what, n, detail);
  }

  private static int sum(Map<String, Integer> counts) {
    return counts.values().stream().mapToInt(Integer::intValue).sum();
  }

  /**
   * The built-in datasets already converted in the user's cache are linked into the scratch cache,
   * so the workers do not fetch and convert MNIST again; without them the workers fetch it.
   */
  private static void shareDatasets(Path scratchCache) throws java.io.IOException {
    Path mine = ThawPaths.cacheDir().resolve("datasets");
    Files.createDirectories(scratchCache);
    if (Files.isDirectory(mine)) {
      Files.createSymbolicLink(scratchCache.resolve("datasets"), mine.toAbsolutePath());
    }
  }

  /**
   * With {@value #KEEP_LOGS_ENV} set to a directory, the logs of the orchestrator and the workers
   * (every start appended) are copied there before the scratch directory goes.
   */
  private static void keepLogs(ChaosCluster cluster) {
    String to = System.getenv(KEEP_LOGS_ENV);
    if (to == null || to.isBlank()) {
      return;
    }
    try {
      Path dir = Files.createDirectories(Path.of(to));
      try (var logs = Files.list(cluster.logs())) {
        for (Path log : logs.toList()) {
          Files.copy(log, dir.resolve(log.getFileName()), StandardCopyOption.REPLACE_EXISTING);
        }
      }
      System.err.println("chaos: logs kept in " + dir.toAbsolutePath());
    } catch (java.io.IOException e) {
      System.err.println("chaos: logs not kept in " + to + ": " + e.getMessage());
    }
  }

  private static int intArg(String[] args, int i, int fallback) {
    if (args.length <= i) {
      return fallback;
    }
    try {
      return Integer.parseInt(args[i]);
    } catch (NumberFormatException e) {
      usage("not a whole number: " + args[i]);
      return fallback;
    }
  }

  private static void usage(String problem) {
    System.err.println("chaos: " + problem);
    System.err.println(
        "usage: ./thaw bench chaos [trials=24, a multiple of 8] [mlflow-outage-seconds=60]"
            + " [lease-seconds=12] [seed=1]");
    System.exit(2);
  }
}
