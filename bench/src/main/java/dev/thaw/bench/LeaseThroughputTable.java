package dev.thaw.bench;

import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.Optional;

/** What {@link LeaseThroughput} prints: the machine, the rows, and the headline figure. */
final class LeaseThroughputTable {
  private LeaseThroughputTable() {}

  /**
   * The table of all rows, then the worst saturated p99 and the last line, {@code lease_p99_ms}:
   * the worst p99 of the 1-worker and the paced rows.
   */
  static void printSummary(List<LeaseRow> rows) {
    print(rows);
    if (rows.isEmpty()) {
      System.out.println("lease_p99_ms: NaN");
      return;
    }
    Optional<LeaseRow> saturated =
        rows.stream()
            .filter(r -> r.pacedRate() == 0 && r.workers() > 1)
            .max(Comparator.comparingDouble(r -> r.lease().p99()));
    saturated.ifPresent(LeaseThroughputTable::printSaturated);
    // The headline: a lease's round trip under a stated load, not its queueing at saturation.
    List<LeaseRow> loaded =
        rows.stream().filter(r -> r.pacedRate() > 0 || r.workers() == 1).toList();
    if (loaded.isEmpty()) {
      System.out.println("lease_p99_ms: NaN (neither the 1-worker nor a paced row was measured)");
      return;
    }
    LeaseRow worst =
        loaded.stream().max(Comparator.comparingDouble(r -> r.lease().p99())).orElseThrow();
    System.out.printf(
        Locale.ROOT,
        "worst lease p99 with 1 worker or %d paced workers (offering %s leases/s): %s, %s (goals:"
            + " p99 < 10 ms, >= 1000 leases/s, idle gap < 200 ms)%n",
        LeaseThroughput.PACED_WORKERS,
        java.util.Arrays.toString(LeaseThroughput.PACED_RATES),
        worst.store(),
        worst.pacedRate() > 0 ? "paced at " + worst.pacedRate() + "/s" : "1 worker");
    System.out.printf(Locale.ROOT, "lease_p99_ms: %.2f%n", worst.lease().p99());
  }

  private static void printSaturated(LeaseRow saturated) {
    System.out.printf(
        Locale.ROOT,
        "as fast as the orchestrator answers (load max), the worst lease p99 is %.2f ms: %s with %d"
            + " workers, whose round trip is mostly queueing (N workers / leases per second per"
            + " cycle)%n",
        saturated.lease().p99(),
        saturated.store(),
        saturated.workers());
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

  /** The table of every row, with its legend. */
  static void print(List<LeaseRow> rows) {
    System.out.println(
        "times in ms; gap = complete sent -> next lease held; compl = complete(-and-lease) call;"
            + " in_win = sweeps submitted inside the window (the queue is filled before it);"
            + " sub_ms = median time to submit one sweep");
    System.out.println(HEADER);
    rows.forEach(r -> System.out.println(format(r)));
  }

  /** One row as soon as it is measured. */
  static void printRow(LeaseRow r) {
    System.out.println(format(r));
  }

  private static String format(LeaseRow r) {
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

  /** The machine the figures come from. */
  static String machine() {
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
