package dev.thaw.bench;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.stream.Stream;

/**
 * CPU that processes outside the benchmark used during a window, in cores: the machine's busy time
 * ({@code /proc/stat}, in USER_HZ = 1/100 s ticks) minus the CPU time of the benchmark's own
 * process trees (this JVM, the orchestrator, the PostgreSQL server and their children). On a shared
 * machine this says how much the figures were disturbed. NaN where /proc is not readable.
 */
final class OtherProcessesCpu {
  private static final double TICKS_PER_SECOND = 100;

  private final List<Long> roots;
  private long startNanos;
  private double startBusySeconds;
  private double startOwnSeconds;

  /**
   * @param roots process ids whose trees belong to the benchmark
   */
  OtherProcessesCpu(List<Long> roots) {
    this.roots = List.copyOf(roots);
  }

  void start() {
    startNanos = System.nanoTime();
    startBusySeconds = busySeconds();
    startOwnSeconds = ownSeconds();
  }

  /** Cores used by other processes since {@link #start()}. */
  double coresSinceStart() {
    return coresSinceStart(0);
  }

  /**
   * Cores used by other processes since {@link #start()}, also counting {@code exitedOwnSeconds} as
   * the benchmark's own: CPU of its processes that have exited meanwhile, which {@code /proc} no
   * longer shows (as the process reported it).
   */
  double coresSinceStart(double exitedOwnSeconds) {
    double wall = (System.nanoTime() - startNanos) / 1e9;
    double busy = busySeconds() - startBusySeconds;
    double own = ownSeconds() - startOwnSeconds + exitedOwnSeconds;
    return Math.max(0, busy - own) / wall;
  }

  private double ownSeconds() {
    return roots.stream()
        .flatMap(pid -> ProcessHandle.of(pid).stream())
        .flatMap(p -> Stream.concat(Stream.of(p), p.descendants()))
        .distinct() // the orchestrator is both a root and this JVM's child
        .mapToDouble(p -> p.info().totalCpuDuration().map(Duration::toNanos).orElse(0L) / 1e9)
        .sum();
  }

  /** The machine's busy CPU seconds since boot, from /proc/stat; NaN where unreadable. */
  private static double busySeconds() {
    try {
      String[] f = Files.readAllLines(Path.of("/proc/stat")).get(0).trim().split("\\s+");
      // cpu user nice system idle iowait irq softirq steal ...
      long busy = 0;
      for (int i : new int[] {1, 2, 3, 6, 7, 8}) {
        busy += Long.parseLong(f[i]);
      }
      return busy / TICKS_PER_SECOND;
    } catch (IOException | RuntimeException e) {
      return Double.NaN;
    }
  }
}
