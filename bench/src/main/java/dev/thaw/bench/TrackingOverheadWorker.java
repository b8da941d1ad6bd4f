package dev.thaw.bench;

import ai.djl.Device;
import dev.thaw.protocol.Failure;
import dev.thaw.protocol.Heartbeat;
import dev.thaw.protocol.HeartbeatReply;
import dev.thaw.protocol.Lease;
import dev.thaw.protocol.LeaseRequest;
import dev.thaw.protocol.MlflowTracking;
import dev.thaw.trial.TrialResult;
import dev.thaw.trial.TrialSpec;
import dev.thaw.worker.TrialOutcome;
import dev.thaw.worker.TrialSource;
import dev.thaw.worker.WorkerAgent;
import dev.thaw.worker.WorkerListener;
import dev.thaw.worker.WorkerSummary;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.PrintStream;
import java.io.UncheckedIOException;
import java.lang.management.ManagementFactory;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.Locale;
import java.util.Optional;

/**
 * One side of {@code tracking-overhead}: a worker process that runs the benchmark's trials, tracked
 * in MLflow and untracked in turn, each one started when {@link TrackingOverhead} says so, so that
 * the two sides run their trials at the same moments.
 *
 * <p>A trial's time runs from its lease until the worker has reported it <em>and</em> its tracking
 * threads are idle: the end of a tracked run (tags, learning curve, artifacts, status) is made in
 * the background and would otherwise be billed to the next trial, which is untracked.
 *
 * <p>Talks to its parent in lines: it prints {@code ready <trial id>} and waits for {@code go} on
 * standard input before each trial, prints {@code trial <id> <wall s> <process cpu s> <tracking
 * threads cpu s> <wall s until reported> <tracking threads cpu s at the report>} after each, and
 * {@code exit <tracking threads cpu s>} at the end. Its log goes to standard error.
 *
 * <p>Arguments: {@code <side> <tracked first: true|false> <trials> <epochs> <labels per class>
 * <runs dir> <tracking uri> <experiment> <parent run id>}.
 */
public final class TrackingOverheadWorker {
  private TrackingOverheadWorker() {}

  public static void main(String[] args) throws Exception {
    String side = args[0];
    boolean trackedFirst = Boolean.parseBoolean(args[1]);
    int trials = Integer.parseInt(args[2]);
    int epochs = Integer.parseInt(args[3]);
    int labelsPerClass = Integer.parseInt(args[4]);
    Path runsDir = Path.of(args[5]);
    MlflowTracking mlflow = new MlflowTracking(args[6], args[7], args[8]);
    PrintStream out = new PrintStream(System.out, true, StandardCharsets.UTF_8);
    BufferedReader in =
        new BufferedReader(new InputStreamReader(System.in, StandardCharsets.UTF_8));
    Deque<Lease> leases = new ArrayDeque<>();
    for (int i = 0; i < trials; i++) {
      boolean tracked = trackedFirst == (i % 2 == 0);
      leases.add(
          lease(
              side + "-" + (tracked ? "tracked" : "untracked") + "-" + i,
              tracked ? mlflow : null,
              epochs,
              labelsPerClass));
    }
    WorkerAgent agent =
        WorkerAgent.builder()
            .setSource(new LockstepSource(leases, in, out))
            .optDevice(Device.cpu())
            .optWorkerId("bench-tracking-overhead-" + side)
            .optRunsDir(runsDir.resolve("runs"))
            .optTrackingSpool(runsDir.resolve("spool"))
            .optMaxTrials(trials)
            .optListener(new Report(out))
            .build();
    WorkerSummary summary = agent.run();
    if (summary.outcomes().getOrDefault(TrialOutcome.COMPLETED, 0) != trials) {
      throw new IllegalStateException("not every trial completed: " + summary);
    }
    out.printf(Locale.ROOT, "exit %.4f%n", trackingThreadsCpu());
  }

  static Lease lease(String id, MlflowTracking mlflow, int epochs, int labelsPerClass) {
    TrialSpec spec =
        BenchTrials.spec(id, "scratch:thaw-cnn", "mnist", 1, labelsPerClass, epochs, 1L);
    return new Lease(
        "lease-" + id, id, 1, "bench", "tracking-overhead", null, spec, 3600, 60, mlflow);
  }

  /**
   * Waits until the worker's tracking threads have been idle (not runnable, no CPU used) for 50 ms
   * in a row, at most 60 s: the end of a tracked run is done, its requests answered.
   */
  static void awaitTrackingIdle() throws InterruptedException {
    var threads = ManagementFactory.getThreadMXBean();
    long deadline = System.nanoTime() + 60_000_000_000L;
    double cpu = -1;
    int quiet = 0;
    while (quiet < 5 && System.nanoTime() < deadline) {
      Thread.sleep(10);
      boolean busy = false;
      for (var info : threads.getThreadInfo(threads.getAllThreadIds())) {
        if (info != null
            && isTracking(info.getThreadName())
            && info.getThreadState() == Thread.State.RUNNABLE) {
          busy = true;
        }
      }
      double now = trackingThreadsCpu();
      quiet = busy || now != cpu ? 0 : quiet + 1;
      cpu = now;
    }
  }

  private static boolean isTracking(String threadName) {
    return threadName.equals("thaw-mlflow-sender") || threadName.equals("thaw-tracking-finisher");
  }

  /** CPU seconds of the worker's tracking threads alive now (they live as long as the worker). */
  static double trackingThreadsCpu() {
    var threads = ManagementFactory.getThreadMXBean();
    double sum = 0;
    for (long id : threads.getAllThreadIds()) {
      var info = threads.getThreadInfo(id);
      if (info != null && isTracking(info.getThreadName())) {
        sum += Math.max(0, threads.getThreadCpuTime(id)) / 1e9;
      }
    }
    return sum;
  }

  /** Hands out the queued leases in order, each when the parent says go; accepts every report. */
  private static final class LockstepSource implements TrialSource {
    private final Deque<Lease> leases;
    private final BufferedReader in;
    private final PrintStream out;

    LockstepSource(Deque<Lease> leases, BufferedReader in, PrintStream out) {
      this.leases = leases;
      this.in = in;
      this.out = out;
    }

    @Override
    public synchronized Optional<Lease> lease(LeaseRequest request) {
      Lease next = leases.poll();
      if (next == null) {
        return Optional.empty();
      }
      out.println("ready " + next.trialId());
      try {
        String line = in.readLine();
        if (!"go".equals(line)) {
          throw new IllegalStateException("expected 'go' from the benchmark, got " + line);
        }
      } catch (IOException e) {
        throw new UncheckedIOException(e);
      }
      return Optional.of(next);
    }

    @Override
    public HeartbeatReply heartbeat(String leaseId, Heartbeat heartbeat) {
      return HeartbeatReply.proceed(3600);
    }

    @Override
    public void complete(String leaseId, TrialResult result) {}

    /**
     * Never leases with a result: the next lease waits for the other side, and a trial's time ends
     * when its report is taken, as the worker then tells its listener.
     */
    @Override
    public Optional<Lease> completeAndLease(String leaseId, TrialResult result, LeaseRequest next) {
      complete(leaseId, result);
      return Optional.empty();
    }

    @Override
    public void fail(String leaseId, Failure failure) {
      throw new IllegalStateException("trial of " + leaseId + " failed: " + failure.reason());
    }
  }

  /** Prints each trial's wall time and CPU once it and its tracking are done. */
  private static final class Report implements WorkerListener {
    private static final com.sun.management.OperatingSystemMXBean OS =
        (com.sun.management.OperatingSystemMXBean) ManagementFactory.getOperatingSystemMXBean();
    private final PrintStream out;
    private long startNanos;
    private long startCpu;

    Report(PrintStream out) {
      this.out = out;
    }

    @Override
    public void leased(Lease lease) {
      startNanos = System.nanoTime();
      startCpu = OS.getProcessCpuTime();
    }

    @Override
    public void finished(
        Lease lease, TrialOutcome outcome, TrialResult result, Failure failure, String detail) {
      double reported = (System.nanoTime() - startNanos) / 1e9;
      double trackingCpuAtReport = trackingThreadsCpu();
      try {
        awaitTrackingIdle();
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
      double seconds = (System.nanoTime() - startNanos) / 1e9;
      double cpu = (OS.getProcessCpuTime() - startCpu) / 1e9;
      out.printf(
          Locale.ROOT,
          "trial %s %.4f %.4f %.4f %.4f %.4f%n",
          lease.trialId(),
          seconds,
          cpu,
          trackingThreadsCpu(),
          reported,
          trackingCpuAtReport);
    }
  }
}
