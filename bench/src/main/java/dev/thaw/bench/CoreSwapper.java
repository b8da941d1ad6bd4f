package dev.thaw.bench;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

/**
 * Keeps two worker processes on a core each (0 and 1) and swaps their cores at a fixed interval, so
 * that a difference between the two cores' speeds, which on a shared host comes and goes with other
 * tenants, falls on both workers alike; a third group of processes (the MLflow server) goes with
 * the worker it is told to follow. Pins with {@code taskset -a -p -c}: every thread of the process.
 */
final class CoreSwapper implements AutoCloseable {
  private final ProcessHandle a;
  private final ProcessHandle b;
  private final List<ProcessHandle> follower;
  private final ScheduledExecutorService timer =
      Executors.newSingleThreadScheduledExecutor(
          r -> {
            Thread t = new Thread(r, "core-swapper");
            t.setDaemon(true);
            return t;
          });
  private boolean swapped;
  private boolean followsA = true;
  private volatile IOException failure;

  /**
   * Pins {@code a} to core 0, {@code b} to core 1 and {@code follower} with {@code a}, then swaps
   * every {@code every}.
   */
  CoreSwapper(ProcessHandle a, ProcessHandle b, List<ProcessHandle> follower, Duration every)
      throws IOException {
    this.a = a;
    this.b = b;
    this.follower = List.copyOf(follower);
    apply();
    long millis = every.toMillis();
    timer.scheduleAtFixedRate(this::swap, millis, millis, TimeUnit.MILLISECONDS);
  }

  /** Moves the follower to a's core ({@code true}) or b's, now and after every swap. */
  synchronized void follow(boolean a) throws IOException {
    check();
    followsA = a;
    apply();
  }

  /** Throws the first pinning failure of the background swaps, if any. */
  void check() throws IOException {
    IOException f = failure;
    if (f != null) {
      throw f;
    }
  }

  private synchronized void swap() {
    if (failure != null) {
      return;
    }
    swapped = !swapped;
    try {
      apply();
    } catch (IOException e) {
      failure = e;
    }
  }

  private void apply() throws IOException {
    int coreA = swapped ? 1 : 0;
    pin(a, coreA);
    pin(b, 1 - coreA);
    for (ProcessHandle p : follower) {
      pin(p, followsA ? coreA : 1 - coreA);
    }
  }

  private static void pin(ProcessHandle process, int core) throws IOException {
    try {
      Process p =
          new ProcessBuilder(
                  "taskset", "-a", "-p", "-c", Integer.toString(core), Long.toString(process.pid()))
              .redirectErrorStream(true)
              .start();
      String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
      // A process that has just ended (a worker done with its trials) needs no core.
      if ((!p.waitFor(10, TimeUnit.SECONDS) || p.exitValue() != 0) && process.isAlive()) {
        throw new IOException("taskset could not pin process " + process.pid() + ": " + out);
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IOException("interrupted while pinning process " + process.pid(), e);
    }
  }

  @Override
  public void close() {
    timer.shutdownNow();
  }
}
