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
 * included; the spool's sending happens in the background. Also measured per trial: the CPU of this
 * JVM and of the rest of the machine (mostly the MLflow server), and the CPU of the worker's
 * tracking threads. Last line: {@code tracking_overhead_pct: <value>}, the median of the pairs'
 * relative differences (a paired design: a drift of the machine's speed over the run hits both
 * trials of a pair alike).
 */
public final class TrackingOverhead {
  /** Pairs by default: the spread between two runs of the same trial is several per cent. */
  private static final int PAIRS = 15;

  /** Tracked trials run before the pairs, untimed. */
  private static final int WARMUP_TRACKED = 2;

  private TrackingOverhead() {}

  public static void main(String[] args) throws Exception {
    int pairs = args.length > 0 ? Integer.parseInt(args[0]) : PAIRS;
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
      Timings timings = new Timings("warmup-tracked-" + WARMUP_TRACKED);
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
          Locale.ROOT,
          "%-5s %12s %12s %9s %13s %13s %12s %12s%n",
          "pair",
          "untracked_s",
          "tracked_s",
          "diff_%",
          "u_others_cpu",
          "t_others_cpu",
          "u_worker_cpu",
          "t_worker_cpu");
      List<Double> diffs = new ArrayList<>();
      List<Double> off = new ArrayList<>();
      List<Double> on = new ArrayList<>();
      List<Double> othersOff = new ArrayList<>();
      List<Double> othersOn = new ArrayList<>();
      for (int i = 1; i <= pairs; i++) {
        Trial u = timings.trials.get("untracked-" + i);
        Trial t = timings.trials.get("tracked-" + i);
        double diff = 100 * (t.seconds() - u.seconds()) / u.seconds();
        diffs.add(diff);
        off.add(u.seconds());
        on.add(t.seconds());
        othersOff.add(u.othersCpu());
        othersOn.add(t.othersCpu());
        System.out.printf(
            Locale.ROOT,
            "%-5d %12.3f %12.3f %9.2f %13.3f %13.3f %12.2f %12.2f%n",
            i,
            u.seconds(),
            t.seconds(),
            diff,
            u.othersCpu(),
            t.othersCpu(),
            u.workerCpu(),
            t.workerCpu());
      }
      double mu = median(off);
      double mt = median(on);
      System.out.printf(
          Locale.ROOT,
          "%-5s %12.3f %12.3f %9.2f %13.3f %13.3f%n",
          "median",
          mu,
          mt,
          median(diffs),
          median(othersOff),
          median(othersOn));
      double[] ci = bootstrapMedianInterval(diffs);
      System.out.printf(
          Locale.ROOT,
          "median of the %d paired differences: %.2f%% (95%% bootstrap interval %.2f%% to %.2f%%);"
              + " difference of the medians: %.2f%%%n",
          pairs,
          median(diffs),
          ci[0],
          ci[1],
          100 * (mt - mu) / mu);
      // Counted from the end of the warm-up (the JIT compiles the tracking code during it); a run's
      // end is made after its trial ends, so the window is shifted by one trial.
      double threadsMs =
          1000 * (timings.trackingThreadsCpu - timings.trackingThreadsCpuAfterWarmup) / pairs;
      double serverMs = 1000 * (median(othersOn) - median(othersOff));
      System.out.printf(
          Locale.ROOT,
          "CPU per tracked trial: the worker's tracking threads (sender, finisher) %.0f ms;"
              + " the MLflow server about %.0f ms (other processes' CPU, tracked minus untracked"
              + " trials); a trial's own CPU %.2f s%n",
          threadsMs,
          serverMs,
          median(timings.trials.values().stream().map(Trial::workerCpu).toList()));
      System.out.printf(
          Locale.ROOT,
          "worker exit after the last trial (spool drained, trackers closed): %.2f s%n",
          drained);
      System.out.printf(Locale.ROOT, "tracking_overhead_pct: %.2f%n", median(diffs));
    }
  }

  /**
   * A 95% percentile-bootstrap interval of the median of {@code values} (10,000 resamples, fixed
   * seed so that a run's table can be reproduced from its pairs).
   */
  static double[] bootstrapMedianInterval(List<Double> values) {
    java.util.Random random = new java.util.Random(42);
    int n = values.size();
    double[] medians = new double[10_000];
    List<Double> sample = new ArrayList<>(n);
    for (int b = 0; b < medians.length; b++) {
      sample.clear();
      for (int i = 0; i < n; i++) {
        sample.add(values.get(random.nextInt(n)));
      }
      medians[b] = median(sample);
    }
    java.util.Arrays.sort(medians);
    return new double[] {
      medians[(int) (0.025 * medians.length)], medians[(int) (0.975 * medians.length) - 1]
    };
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

  /**
   * One trial as measured.
   *
   * @param seconds wall time on the worker, lease to the end of its reporting
   * @param workerCpu CPU seconds this JVM used meanwhile (training, tracking, everything)
   * @param othersCpu CPU seconds the rest of the machine used meanwhile (mostly the MLflow server)
   */
  record Trial(double seconds, double workerCpu, double othersCpu) {}

  /**
   * Each trial's wall time and CPU, and the CPU of the worker's tracking threads (its spool sender
   * and run finisher) so far.
   */
  private static final class Timings implements WorkerListener {
    private static final com.sun.management.OperatingSystemMXBean OS =
        (com.sun.management.OperatingSystemMXBean)
            java.lang.management.ManagementFactory.getOperatingSystemMXBean();
    private final Map<String, long[]> started = new ConcurrentHashMap<>();
    private final Map<String, Double> startedBusy = new ConcurrentHashMap<>();
    final Map<String, Trial> trials = new ConcurrentHashMap<>();
    private final String lastWarmup;
    volatile long lastFinished = System.nanoTime();
    volatile double trackingThreadsCpu;
    volatile double trackingThreadsCpuAfterWarmup;

    /**
     * @param lastWarmup the id of the last warm-up trial: tracking CPU is counted from its end
     */
    Timings(String lastWarmup) {
      this.lastWarmup = lastWarmup;
    }

    @Override
    public void leased(Lease lease) {
      started.put(lease.trialId(), new long[] {System.nanoTime(), OS.getProcessCpuTime()});
      startedBusy.put(lease.trialId(), OtherProcessesCpu.busySeconds());
    }

    @Override
    public void finished(
        Lease lease, TrialOutcome outcome, TrialResult result, Failure failure, String detail) {
      long now = System.nanoTime();
      long[] start = started.get(lease.trialId());
      double workerCpu = (OS.getProcessCpuTime() - start[1]) / 1e9;
      double busy = OtherProcessesCpu.busySeconds() - startedBusy.get(lease.trialId());
      Trial trial = new Trial((now - start[0]) / 1e9, workerCpu, Math.max(0, busy - workerCpu));
      trials.put(lease.trialId(), trial);
      lastFinished = now;
      trackingThreadsCpu = trackingThreadsCpu();
      if (lease.trialId().equals(lastWarmup)) {
        trackingThreadsCpuAfterWarmup = trackingThreadsCpu;
      }
      System.err.printf(
          Locale.ROOT,
          "  %s: %s in %.2f s (cpu: worker %.2f s, others %.2f s)%n",
          lease.trialId(),
          outcome,
          trial.seconds(),
          trial.workerCpu(),
          trial.othersCpu());
    }

    /** CPU seconds of the worker's tracking threads alive now (they live as long as the worker). */
    private static double trackingThreadsCpu() {
      var threads = java.lang.management.ManagementFactory.getThreadMXBean();
      double sum = 0;
      for (long id : threads.getAllThreadIds()) {
        var info = threads.getThreadInfo(id);
        if (info != null
            && (info.getThreadName().equals("thaw-mlflow-sender")
                || info.getThreadName().equals("thaw-tracking-finisher"))) {
          sum += Math.max(0, threads.getThreadCpuTime(id)) / 1e9;
        }
      }
      return sum;
    }
  }
}
