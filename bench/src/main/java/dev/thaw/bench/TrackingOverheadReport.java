package dev.thaw.bench;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * The figures of {@link TrackingOverhead}: the table of pairs, the block analysis that cancels the
 * difference between the two worker processes and the MLflow server's share, and bootstrap
 * intervals.
 */
final class TrackingOverheadReport {
  private TrackingOverheadReport() {}

  /**
   * Prints one line per measured pair, then the block analysis and the last line, {@code
   * tracking_overhead_pct}.
   */
  static void print(
      int pairs,
      TrackingOverheadSide a,
      TrackingOverheadSide b,
      double[] serverCpu,
      boolean[] serverWithTracked) {
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
      int n = TrackingOverhead.WARMUP + i;
      TrackingOverheadSide trackedSide = n % 2 == 0 ? a : b;
      TrackingOverheadSide.Trial t = trackedSide.trial(n);
      TrackingOverheadSide.Trial u = (n % 2 == 0 ? b : a).trial(n);
      diffs[i] = 100 * (t.backToBackSeconds() - u.backToBackSeconds()) / u.backToBackSeconds();
      idleDiffs[i] = 100 * (t.seconds() - u.seconds()) / u.seconds();
      // The tracked run's end after the report, beyond the untracked trial's own wait for idle.
      double tail =
          1000 * ((t.seconds() - t.reportedSeconds()) - (u.seconds() - u.reportedSeconds()));
      double tailCpu = 1000 * (t.trackingCpu() - t.trackingCpuAtReport());
      double threads = 1000 * (t.trackingCpu() - trackedSide.trial(n - 1).trackingCpu());
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
          trackedSide.name(),
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
        (serverWithTracked[TrackingOverhead.WARMUP + k] ? withServer : withoutServer).add(block);
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
}
