package dev.thaw.bench;

import ai.djl.Device;
import dev.thaw.tracking.RunStatus;
import dev.thaw.tracking.TrackedRun;
import dev.thaw.tracking.Tracker;
import dev.thaw.tracking.TrackerConfig;
import dev.thaw.trial.BackboneLearningRates;
import dev.thaw.trial.LearningRates;
import dev.thaw.trial.TargetSpec;
import dev.thaw.trial.TrialResult;
import dev.thaw.trial.TrialSpec;
import dev.thaw.worker.TrialOutcome;
import dev.thaw.worker.TrialSource;
import dev.thaw.worker.WorkerAgent;
import dev.thaw.worker.WorkerListener;
import dev.thaw.worker.WorkerSummary;
import dev.thaw.worker.protocol.Failure;
import dev.thaw.worker.protocol.Heartbeat;
import dev.thaw.worker.protocol.HeartbeatReply;
import dev.thaw.worker.protocol.Lease;
import dev.thaw.worker.protocol.LeaseRequest;
import dev.thaw.worker.protocol.MlflowTracking;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Benchmark {@code tracking-overhead}: the same small real trial run by a {@link WorkerAgent}, with
 * MLflow tracking (a child run per trial in a throwaway real MLflow server: params, per-epoch
 * metrics, tags, trial.json, learning curve and weights as artifacts) and without, interleaved in
 * pairs (the order inside a pair alternates). One worker runs them all, so both sides share the
 * task cache and the warm JVM; one untracked and two tracked trials warm up first. The figure per
 * trial is its wall time on the worker, from lease to the end of its reporting, tracking calls
 * included; the spool's sending happens in the background. Last line: {@code tracking_overhead_pct:
 * <value>}, the relative difference of the medians.
 */
public final class TrackingOverhead {
  /** Tracked trials run before the pairs, untimed. */
  private static final int WARMUP_TRACKED = 2;

  private TrackingOverhead() {}

  public static void main(String[] args) throws Exception {
    int pairs = args.length > 0 ? Integer.parseInt(args[0]) : 9;
    int epochs = args.length > 1 ? Integer.parseInt(args[1]) : 3;
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
      MlflowTracking tracked = new MlflowTracking(server.uri(), experiment, parentId);

      Deque<Lease> leases = new ArrayDeque<>();
      // Both sides warm up: the tracked side's code (MLflow client, spool, PNG) is compiled by the
      // JIT during its first trials, CPU that would otherwise be billed to the first pairs.
      leases.add(lease("warmup", null, epochs));
      for (int i = 1; i <= WARMUP_TRACKED; i++) {
        leases.add(lease("warmup-tracked-" + i, tracked, epochs));
      }
      for (int i = 1; i <= pairs; i++) {
        Lease off = lease("untracked-" + i, null, epochs);
        Lease on = lease("tracked-" + i, tracked, epochs);
        leases.add(i % 2 == 1 ? off : on);
        leases.add(i % 2 == 1 ? on : off);
      }
      int total = leases.size();
      Timings timings = new Timings();
      WorkerAgent agent =
          WorkerAgent.builder()
              .setSource(new QueueSource(leases))
              .optDevice(Device.cpu())
              .optWorkerId("bench-tracking-overhead")
              .optRunsDir(scratch.path().resolve("runs"))
              .optTrackingSpool(scratch.path().resolve("worker-spool"))
              .optMaxTrials(total)
              .optListener(timings)
              .build();
      System.out.printf(
          Locale.ROOT,
          "trial: scratch:thaw-cnn, mnist 100 labels per class, %d epochs, batch 32; MLflow %s;"
              + " %d pairs%n",
          epochs,
          server.uri(),
          pairs);
      WorkerSummary summary = agent.run();
      double drained = (System.nanoTime() - timings.lastFinished) / 1e9;
      if (summary.outcomes().getOrDefault(TrialOutcome.COMPLETED, 0) != total) {
        throw new IllegalStateException("not every trial completed: " + summary);
      }
      sweepTracker.endRun(parent, RunStatus.FINISHED);
      sweepTracker.close();

      System.out.printf(
          Locale.ROOT, "%-5s %12s %12s %9s%n", "pair", "untracked_s", "tracked_s", "diff_%");
      List<Double> off = new ArrayList<>();
      List<Double> on = new ArrayList<>();
      for (int i = 1; i <= pairs; i++) {
        double u = timings.seconds.get("untracked-" + i);
        double t = timings.seconds.get("tracked-" + i);
        off.add(u);
        on.add(t);
        System.out.printf(Locale.ROOT, "%-5d %12.3f %12.3f %9.2f%n", i, u, t, 100 * (t - u) / u);
      }
      double mu = median(off);
      double mt = median(on);
      System.out.printf(
          Locale.ROOT, "%-5s %12.3f %12.3f %9.2f%n", "median", mu, mt, 100 * (mt - mu) / mu);
      System.out.printf(
          Locale.ROOT,
          "worker exit after the last trial (spool drained, trackers closed): %.2f s%n",
          drained);
      System.out.printf(Locale.ROOT, "tracking_overhead_pct: %.2f%n", 100 * (mt - mu) / mu);
    }
  }

  private static double median(List<Double> values) {
    List<Double> sorted = values.stream().sorted().toList();
    int n = sorted.size();
    return n % 2 == 1 ? sorted.get(n / 2) : (sorted.get(n / 2 - 1) + sorted.get(n / 2)) / 2;
  }

  private static Lease lease(String id, MlflowTracking mlflow, int epochs) {
    TrialSpec spec =
        new TrialSpec(
            id,
            "scratch:thaw-cnn",
            new TargetSpec("mnist", 0.2, 100, null),
            1,
            new LearningRates(2e-3, new BackboneLearningRates.Uniform(1e-3)),
            null,
            32,
            0.1,
            epochs,
            0,
            null,
            1L);
    return new Lease(
        "lease-" + id, id, 1, "bench", "tracking-overhead", null, spec, 600, 60, mlflow);
  }

  /** Hands out the queued leases in order, then nothing; every report is accepted. */
  private static final class QueueSource implements TrialSource {
    private final Deque<Lease> leases;

    QueueSource(Deque<Lease> leases) {
      this.leases = leases;
    }

    @Override
    public synchronized Optional<Lease> lease(LeaseRequest request) {
      return Optional.ofNullable(leases.poll());
    }

    @Override
    public HeartbeatReply heartbeat(String leaseId, Heartbeat heartbeat) {
      return HeartbeatReply.proceed(600);
    }

    @Override
    public void complete(String leaseId, TrialResult result) {}

    @Override
    public void fail(String leaseId, Failure failure) {
      throw new IllegalStateException("trial of " + leaseId + " failed: " + failure.reason());
    }
  }

  /** Each trial's wall time on the worker, from its lease to the end of its reporting. */
  private static final class Timings implements WorkerListener {
    private final Map<String, Long> started = new ConcurrentHashMap<>();
    final Map<String, Double> seconds = new ConcurrentHashMap<>();
    volatile long lastFinished = System.nanoTime();

    @Override
    public void leased(Lease lease) {
      started.put(lease.trialId(), System.nanoTime());
    }

    @Override
    public void finished(
        Lease lease, TrialOutcome outcome, TrialResult result, Failure failure, String detail) {
      long now = System.nanoTime();
      lastFinished = now;
      seconds.put(lease.trialId(), (now - started.get(lease.trialId())) / 1e9);
      System.err.printf(
          Locale.ROOT,
          "  %s: %s in %.2f s%n",
          lease.trialId(),
          outcome,
          seconds.get(lease.trialId()));
    }
  }
}
