package dev.thaw.bench;

import dev.thaw.mlflow.RunStatus;
import dev.thaw.mlflow.TrackedRun;
import dev.thaw.mlflow.Tracker;
import dev.thaw.mlflow.TrackerConfig;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.PrintStream;
import java.lang.management.ManagementFactory;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.TimeUnit;

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
  private static final int WARMUP = 2;

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
      Side a =
          Side.launch(
              "a", 0, ("true " + common + scratch.path().resolve("a") + tracking).split(" "));
      Side b =
          Side.launch(
              "b", 1, ("false " + common + scratch.path().resolve("b") + tracking).split(" "));
      double[] serverCpu = new double[total + 1];
      boolean[] serverWithTracked = new boolean[total];
      try (CoreSwapper cores =
          new CoreSwapper(
              a.process.toHandle(), b.process.toHandle(), server.processes(), SWAP_EVERY)) {
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
        a.process.destroyForcibly();
        b.process.destroyForcibly();
      }
      sweepTracker.endRun(parent, RunStatus.FINISHED);
      sweepTracker.close();
      report(pairs, a, b, serverCpu, serverWithTracked);
    }
  }

  private static void report(
      int pairs, Side a, Side b, double[] serverCpu, boolean[] serverWithTracked) {
    System.out.printf(
        Locale.ROOT,
        "%-5s %8s %9s %12s %12s %9s %9s %9s %9s %12s %10s%n",
        "pair",
        "tracked",
        "server_on",
        "untracked_s",
        "tracked_s",
        "diff_%",
        "idle_%",
        "tail_ms",
        "tail_cpu",
        "t_threads_ms",
        "server_ms");
    double[] diffs = new double[pairs];
    double[] idleDiffs = new double[pairs];
    List<Double> off = new ArrayList<>();
    List<Double> tails = new ArrayList<>();
    List<Double> tailCpus = new ArrayList<>();
    List<Double> threadsMs = new ArrayList<>();
    List<Double> serverMs = new ArrayList<>();
    for (int i = 0; i < pairs; i++) {
      int n = WARMUP + i;
      Side trackedSide = n % 2 == 0 ? a : b;
      Trial t = trackedSide.trials.get(n);
      Trial u = (n % 2 == 0 ? b : a).trials.get(n);
      diffs[i] = 100 * (t.backToBackSeconds() - u.backToBackSeconds()) / u.backToBackSeconds();
      idleDiffs[i] = 100 * (t.seconds() - u.seconds()) / u.seconds();
      // The tracked run's end after the report, beyond the untracked trial's own wait for idle.
      double tail =
          1000 * ((t.seconds() - t.reportedSeconds()) - (u.seconds() - u.reportedSeconds()));
      double tailCpu = 1000 * (t.trackingCpu() - t.trackingCpuAtReport());
      double threads = 1000 * (t.trackingCpu() - trackedSide.trials.get(n - 1).trackingCpu());
      double srv = 1000 * (serverCpu[n + 1] - serverCpu[n]);
      off.add(u.backToBackSeconds());
      tails.add(tail);
      tailCpus.add(tailCpu);
      threadsMs.add(threads);
      serverMs.add(srv);
      System.out.printf(
          Locale.ROOT,
          "%-5d %8s %9s %12.3f %12.3f %9.2f %9.2f %9.0f %9.0f %12.0f %10.0f%n",
          i + 1,
          trackedSide.name,
          serverWithTracked[n] ? "tracked" : "other",
          u.backToBackSeconds(),
          t.backToBackSeconds(),
          diffs[i],
          idleDiffs[i],
          tail,
          tailCpu,
          threads,
          srv);
    }
    Midpoint backToBack = Midpoint.of(diffs, serverWithTracked);
    Midpoint untilIdle = Midpoint.of(idleDiffs, serverWithTracked);
    System.out.printf(
        Locale.ROOT,
        "blocks of two pairs (a tracked, then b): median %.2f%% with the MLflow server on the"
            + " tracked worker's core (%d blocks), %.2f%% on the other worker's core (%d blocks);"
            + " worker a slower than b by %.2f%% (median, cancelled within each block)%n",
        backToBack.withServer(),
        backToBack.blocksWithServer(),
        backToBack.withoutServer(),
        backToBack.blocksWithoutServer(),
        backToBack.processGap());
    System.out.printf(
        Locale.ROOT,
        "the server's requests cost the core they run on %.2f%% of a trial (half the gap); what"
            + " tracking costs a worker running trials back to back, the server's share cancelled"
            + " (the midpoint): %.2f%% (95%% bootstrap interval %.2f%% to %.2f%%)%n",
        backToBack.serverShare(),
        backToBack.midpoint(),
        backToBack.low(),
        backToBack.high());
    System.out.printf(
        Locale.ROOT,
        "the end of a tracked run after the report takes %.0f ms (median; %.0f ms of it CPU on the"
            + " worker, counted above; the rest waits for the server); a trial timed until its"
            + " tracking is idle, those waits included: %.2f%% (95%% bootstrap interval %.2f%% to"
            + " %.2f%%)%n",
        median(tails),
        median(tailCpus),
        untilIdle.midpoint(),
        untilIdle.low(),
        untilIdle.high());
    System.out.printf(
        Locale.ROOT,
        "CPU per tracked trial: the worker's tracking threads (sender, finisher) %.0f ms (%.2f%% of"
            + " an untracked trial's %.2f s), the MLflow server %.0f ms%n",
        median(threadsMs),
        100 * median(threadsMs) / 1000 / median(off),
        median(off),
        median(serverMs));
    System.out.printf(Locale.ROOT, "tracking_overhead_pct: %.2f%n", backToBack.midpoint());
  }

  /**
   * The block analysis of one set of per-pair differences (per cent). A block is two pairs, a
   * tracked then b tracked: averaging them cancels any lasting difference between the two worker
   * processes (their JITs, heaps and cores), which can be several per cent.
   */
  record Midpoint(
      double withServer,
      int blocksWithServer,
      double withoutServer,
      int blocksWithoutServer,
      double processGap,
      double low,
      double high) {

    static Midpoint of(double[] diffs, boolean[] serverWithTracked) {
      List<Double> withServer = new ArrayList<>();
      List<Double> withoutServer = new ArrayList<>();
      List<Double> processGap = new ArrayList<>();
      for (int k = 0; k + 1 < diffs.length; k += 2) {
        double block = (diffs[k] + diffs[k + 1]) / 2;
        (serverWithTracked[WARMUP + k] ? withServer : withoutServer).add(block);
        processGap.add((diffs[k] - diffs[k + 1]) / 2);
      }
      double[] ci = bootstrapMidpointInterval(withServer, withoutServer);
      return new Midpoint(
          median(withServer),
          withServer.size(),
          median(withoutServer),
          withoutServer.size(),
          median(processGap),
          ci[0],
          ci[1]);
    }

    double midpoint() {
      return (withServer + withoutServer) / 2;
    }

    double serverShare() {
      return (withServer - withoutServer) / 2;
    }
  }

  /**
   * A 95% percentile-bootstrap interval of the midpoint of two groups' medians, {@code (median(a) +
   * median(b)) / 2}, each group resampled on its own (10,000 resamples, fixed seed so that a run's
   * figures can be reproduced from its pairs).
   */
  static double[] bootstrapMidpointInterval(List<Double> a, List<Double> b) {
    java.util.Random random = new java.util.Random(42);
    double[] midpoints = new double[10_000];
    for (int r = 0; r < midpoints.length; r++) {
      midpoints[r] = (median(resample(a, random)) + median(resample(b, random))) / 2;
    }
    java.util.Arrays.sort(midpoints);
    return new double[] {
      midpoints[(int) (0.025 * midpoints.length)], midpoints[(int) (0.975 * midpoints.length) - 1]
    };
  }

  private static List<Double> resample(List<Double> values, java.util.Random random) {
    List<Double> sample = new ArrayList<>(values.size());
    for (int i = 0; i < values.size(); i++) {
      sample.add(values.get(random.nextInt(values.size())));
    }
    return sample;
  }

  static double median(List<Double> values) {
    List<Double> sorted = values.stream().sorted().toList();
    int n = sorted.size();
    return n % 2 == 1 ? sorted.get(n / 2) : (sorted.get(n / 2 - 1) + sorted.get(n / 2)) / 2;
  }

  private static double cpuSeconds(List<ProcessHandle> processes) {
    double sum = 0;
    for (ProcessHandle p : processes) {
      sum += p.info().totalCpuDuration().map(d -> d.toNanos() / 1e9).orElse(0.0);
    }
    return sum;
  }

  /**
   * One trial as its worker measured it.
   *
   * @param seconds wall time, lease to the end of its reporting and of its tracking
   * @param trackingCpu CPU seconds of the worker's tracking threads so far (cumulative)
   * @param reportedSeconds wall time, lease to the end of its reporting (its tracking may go on)
   * @param trackingCpuAtReport CPU seconds of the worker's tracking threads at the report
   */
  record Trial(
      double seconds, double trackingCpu, double reportedSeconds, double trackingCpuAtReport) {

    /**
     * What the trial costs a worker that takes its next trial at once, as workers do: lease to
     * report, plus the CPU its tracking threads spend after the report (on a one-core worker that
     * CPU is taken from the next trial's training; their waits for the server are not).
     */
    double backToBackSeconds() {
      return reportedSeconds + (trackingCpu - trackingCpuAtReport);
    }
  }

  /** A {@link TrackingOverheadWorker} process and what it reported. */
  private static final class Side {
    private final String name;
    private final Process process;
    private final BufferedReader out;
    private final PrintStream in;
    private final Map<Integer, Trial> trials = new HashMap<>();

    private Side(String name, Process process) {
      this.name = name;
      this.process = process;
      this.out =
          new BufferedReader(
              new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8));
      this.in = new PrintStream(process.getOutputStream(), true, StandardCharsets.UTF_8);
    }

    /**
     * Starts a worker JVM pinned to {@code core}, with this JVM's options but PyTorch on one
     * thread.
     *
     * @param args the worker's arguments after its side
     */
    static Side launch(String name, int core, String... args) throws IOException {
      List<String> command = new ArrayList<>();
      command.add("taskset");
      command.add("-c");
      command.add(Integer.toString(core));
      command.add(
          ProcessHandle.current()
              .info()
              .command()
              .orElse(Path.of(System.getProperty("java.home"), "bin", "java").toString()));
      for (String option : ManagementFactory.getRuntimeMXBean().getInputArguments()) {
        if (!option.startsWith("-Dai.djl.pytorch.num_")) {
          command.add(option);
        }
      }
      command.add("-Dai.djl.pytorch.num_threads=1");
      command.add("-Dai.djl.pytorch.num_interop_threads=1");
      command.add("-cp");
      command.add(System.getProperty("java.class.path"));
      command.add(TrackingOverheadWorker.class.getName());
      command.add(name);
      command.addAll(List.of(args));
      Process process =
          new ProcessBuilder(command).redirectError(ProcessBuilder.Redirect.INHERIT).start();
      return new Side(name, process);
    }

    /** Reads the worker's lines up to its {@code ready} for trial {@code n}. */
    void awaitReady(int n) throws IOException {
      String expected = "-" + n;
      for (String line = next();
          !(line.startsWith("ready ") && line.endsWith(expected));
          line = next()) {
        if (!line.startsWith("trial ")) {
          throw new IOException(
              name + " worker: expected it to be ready for pair " + n + ", got '" + line + "'");
        }
      }
    }

    void go() {
      in.println("go");
    }

    /** Reads the worker's last lines and waits for it to end. */
    void awaitExit() throws IOException, InterruptedException {
      for (String line = next(); !line.startsWith("exit "); line = next()) {
        if (!line.startsWith("trial ")) {
          throw new IOException(name + " worker: unexpected line '" + line + "'");
        }
      }
      if (!process.waitFor(60, TimeUnit.SECONDS) || process.exitValue() != 0) {
        throw new IOException(name + " worker did not end cleanly");
      }
    }

    private String next() throws IOException {
      String line = out.readLine();
      if (line == null) {
        throw new IOException(
            name + " worker ended early; see its messages above (exit " + exitCode() + ")");
      }
      if (line.startsWith("trial ")) {
        String[] f = line.split(" ");
        int n = Integer.parseInt(f[1].substring(f[1].lastIndexOf('-') + 1));
        trials.put(
            n,
            new Trial(
                Double.parseDouble(f[2]),
                Double.parseDouble(f[4]),
                Double.parseDouble(f[5]),
                Double.parseDouble(f[6])));
        System.err.printf(Locale.ROOT, "  %s: %s s (cpu %s s)%n", f[1], f[2], f[3]);
      }
      return line;
    }

    private String exitCode() {
      try {
        return process.waitFor(10, TimeUnit.SECONDS)
            ? Integer.toString(process.exitValue())
            : "still running";
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        return "unknown";
      }
    }
  }
}
