package dev.thaw.bench;

import dev.thaw.mlflow.RunStatus;
import dev.thaw.mlflow.TrackedRun;
import dev.thaw.mlflow.Tracker;
import dev.thaw.mlflow.TrackerConfig;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * Benchmark {@code tracking-overhead}: the same real trial run by two worker processes ({@link
 * TrackingOverheadWorker}) at the same moments, one tracked in MLflow (a child run per trial in a
 * throwaway real MLflow server: params, per-epoch metrics, tags, trial.json, learning curve and
 * weights as artifacts) and one not. Each worker has a core of its own and runs PyTorch on one
 * thread; the two trials of a pair start together, so a change of the machine's speed hits both,
 * and the two workers exchange their cores every second ({@link CoreSwapper}), so a difference
 * between the cores hits both too. The workers take turns being the tracked one, and a block of two
 * pairs (a tracked, then b) cancels any lasting difference between the two processes. Two warm-up
 * pairs come first.
 *
 * <p>The MLflow server has no core of its own here (in production it is another host). It follows
 * the tracked worker's core in every other block and the untracked worker's core in the others.
 * With it on the tracked core, a block's difference is what tracking costs the worker plus what the
 * server's requests cost the core they run on; on the other core, the first minus the second. The
 * midpoint of the two groups' medians is the worker's own cost with the server's share cancelled;
 * half their gap is the server's.
 *
 * <p>Last line: {@code tracking_overhead_pct: <value>}, that midpoint, in per cent of a trial's
 * time for a worker that goes straight to its next trial: lease to report, plus the CPU its
 * tracking threads spend on the run's end after the report. The same with the trial timed until its
 * tracking threads are idle (the waits for the server's answers included) is printed above it.
 *
 * <p>Arguments: {@code [pairs, a multiple of 4] [epochs] [labels per class]}.
 */
public final class TrackingOverhead {
  private static final int PAIRS = 24;
  private static final int EPOCHS = 4;
  private static final int LABELS_PER_CLASS = 800;

  /** Pairs run before the measured ones: the JIT compiles the tracking code during them. */
  static final int WARMUP = 2;

  /** How often the two workers exchange their cores (the server goes with the one it follows). */
  private static final Duration SWAP_EVERY = Duration.ofSeconds(1);

  private TrackingOverhead() {}

  public static void main(String[] args) throws Exception {
    int pairs = args.length > 0 ? Integer.parseInt(args[0]) : PAIRS;
    int epochs = args.length > 1 ? Integer.parseInt(args[1]) : EPOCHS;
    int labels = args.length > 2 ? Integer.parseInt(args[2]) : LABELS_PER_CLASS;
    if (Runtime.getRuntime().availableProcessors() < 2) {
      throw new IllegalStateException(
          "tracking-overhead needs 2 cores (one per worker); this process may use "
              + Runtime.getRuntime().availableProcessors());
    }
    if (pairs < 4 || pairs % 4 != 0) {
      throw new IllegalArgumentException(
          "pairs must be a multiple of 4 (blocks of two pairs, the server on either core in turn);"
              + " got "
              + pairs);
    }
    int total = WARMUP + pairs;
    try (ThrowawayMlflow server = ThrowawayMlflow.start();
        ScratchDir scratch = new ScratchDir("thaw-bench-tracking.")) {
      String experiment = "thaw-bench-tracking-overhead";
      Tracker sweepTracker =
          Tracker.open(
              TrackerConfig.of(server.uri()).withSpoolDir(scratch.path().resolve("parent-spool")));
      TrackedRun parent =
          sweepTracker.startRun(
              sweepTracker.experiment(experiment),
              "tracking-overhead " + Instant.now(),
              null,
              Map.of());
      String parentId =
          parent
              .awaitServerId(Duration.ofSeconds(60))
              .orElseThrow(() -> new IllegalStateException("no parent run on " + server.uri()));
      System.out.printf(
          Locale.ROOT,
          "trial: scratch:thaw-cnn, mnist %d labels per class, %d epochs, batch 32, PyTorch on 1"
              + " thread; MLflow %s; %d pairs after %d warm-up pairs%n",
          labels,
          epochs,
          server.uri(),
          pairs,
          WARMUP);
      String common = total + " " + epochs + " " + labels + " ";
      String tracking = " " + server.uri() + " " + experiment + " " + parentId;
      // Side a starts on core 0 and is tracked in even pairs, side b on core 1 and tracked in odd
      // ones; the swapper exchanges their cores every second.
      TrackingOverheadSide a =
          TrackingOverheadSide.launch(
              "a", 0, ("true " + common + scratch.path().resolve("a") + tracking).split(" "));
      TrackingOverheadSide b =
          TrackingOverheadSide.launch(
              "b", 1, ("false " + common + scratch.path().resolve("b") + tracking).split(" "));
      double[] serverCpu = new double[total + 1];
      boolean[] serverWithTracked = new boolean[total];
      try (CoreSwapper cores =
          new CoreSwapper(
              a.process().toHandle(), b.process().toHandle(), server.processes(), SWAP_EVERY)) {
        for (int n = 0; n < total; n++) {
          a.awaitReady(n);
          b.awaitReady(n);
          serverWithTracked[n] = n < WARMUP || (n - WARMUP) / 2 % 2 == 0;
          boolean aTracked = n % 2 == 0;
          cores.follow(serverWithTracked[n] == aTracked);
          serverCpu[n] = cpuSeconds(server.processes());
          a.go();
          b.go();
        }
        a.awaitExit();
        b.awaitExit();
        cores.check();
        serverCpu[total] = cpuSeconds(server.processes());
      } finally {
        a.process().destroyForcibly();
        b.process().destroyForcibly();
      }
      sweepTracker.endRun(parent, RunStatus.FINISHED);
      sweepTracker.close();
      TrackingOverheadReport.print(pairs, a, b, serverCpu, serverWithTracked);
    }
  }

  private static double cpuSeconds(List<ProcessHandle> processes) {
    double sum = 0;
    for (ProcessHandle p : processes) {
      sum += p.info().totalCpuDuration().map(d -> d.toNanos() / 1e9).orElse(0.0);
    }
    return sum;
  }
}
