package dev.thaw.bench;

import dev.thaw.bench.ChaosSchedule.Event;
import java.io.IOException;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;
import java.util.Locale;
import java.util.Random;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;

/**
 * Follows the sweep through the orchestrator's API and strikes as {@link ChaosSchedule} says,
 * printing a line per strike; returns when the sweep has ended (or the deadline passed) and the
 * MLflow outage is over. The MLflow outage runs beside the sweep on a thread of its own; the other
 * strikes are done in line (the orchestrator's restart waits until it is ready again).
 */
final class ChaosStrikes {
  private static final Duration POLL = Duration.ofSeconds(2);

  private final ChaosCluster cluster;
  private final ThrowawayMlflow mlflow;
  private final Duration outage;
  private final Random random;
  private final long startNanos;
  private final List<String> notDone = new ArrayList<>();
  private String lastKilled;

  /** How the sweep ended, as the orchestrator last reported it. */
  record Outcome(SweepApi.Progress last, boolean timedOut, List<String> strikesNotDone) {}

  ChaosStrikes(
      ChaosCluster cluster, ThrowawayMlflow mlflow, Duration outage, long seed, long startNanos) {
    this.cluster = cluster;
    this.mlflow = mlflow;
    this.outage = outage;
    this.random = new Random(seed);
    this.startNanos = startNanos;
  }

  Outcome run(String sweepId, List<Event> schedule, Duration deadline) throws Exception {
    Deque<Event> pending = new ArrayDeque<>(schedule);
    ExecutorService beside = Executors.newSingleThreadExecutor();
    Future<?> outageDone = null;
    SweepApi.Progress last = null;
    boolean timedOut = false;
    long end = System.nanoTime() + deadline.toNanos();
    try {
      while (true) {
        SweepApi.Progress p = progress(sweepId);
        if (p != null) {
          last = p;
          if (p.ended()) {
            break;
          }
          while (!pending.isEmpty() && p.completed() >= pending.peek().atCompleted()) {
            Event e = pending.poll();
            if (e.kind() == ChaosSchedule.Kind.MLFLOW_OUTAGE) {
              say("%d completed: MLflow outage", p.completed());
              outageDone = beside.submit(this::mlflowOutage);
            } else {
              strike(e, p.completed());
            }
          }
        }
        if (System.nanoTime() > end) {
          timedOut = true;
          say("deadline: the sweep did not end within %d min", deadline.toMinutes());
          break;
        }
        Thread.sleep(POLL.toMillis());
      }
      if (outageDone != null) {
        outageDone.get(outage.toSeconds() + 240, TimeUnit.SECONDS);
      }
    } finally {
      beside.shutdownNow();
    }
    pending.forEach(e -> notDone.add(e.kind() + " at " + e.atCompleted()));
    return new Outcome(last, timedOut, List.copyOf(notDone));
  }

  private SweepApi.Progress progress(String sweepId) {
    try {
      return cluster.api().progress(sweepId);
    } catch (IOException down) {
      return null; // being restarted; asked again at the next poll
    }
  }

  private void strike(Event e, int completed) throws IOException, InterruptedException {
    List<String> ids = targets();
    switch (e.kind()) {
      case KILL_WORKER -> {
        String id = ids.get(random.nextInt(ids.size()));
        say("%d completed: kill -9 worker %s; a new %s starts", completed, id, id);
        cluster.killWorker(id);
        lastKilled = id;
      }
      case TERM_WORKER -> {
        List<String> others = new ArrayList<>(ids);
        if (others.size() > 1) {
          others.remove(lastKilled);
        }
        String id = others.get(random.nextInt(others.size()));
        say("%d completed: SIGTERM worker %s", completed, id);
        boolean clean = cluster.terminateWorker(id);
        say(
            "worker %s %s; a new %s started",
            id,
            clean
                ? "exited (a trial it held is handed back: see hand-backs below)"
                : "did not exit in 60 s and was killed",
            id);
      }
      case RESTART_ORCHESTRATOR -> {
        say(
            "%d completed: kill -9 the orchestrator; start it again (same port, same H2 store)",
            completed);
        cluster.restartOrchestrator();
        say("orchestrator ready again");
      }
      case MLFLOW_OUTAGE -> throw new IllegalArgumentException("runs beside: " + e);
    }
  }

  /**
   * The workers to pick from: those training a trial now (waiting up to 30 s for one), else all.
   */
  private List<String> targets() throws InterruptedException {
    long end = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
    while (System.nanoTime() < end) {
      List<String> busy = cluster.busyWorkerIds();
      if (!busy.isEmpty()) {
        return busy;
      }
      Thread.sleep(500);
    }
    return cluster.workerIds();
  }

  private Void mlflowOutage() throws IOException, InterruptedException {
    mlflow.stop();
    long down = System.nanoTime();
    say("MLflow stopped; started again in %d s", outage.toSeconds());
    Thread.sleep(outage.toMillis());
    mlflow.startAgain();
    say(
        "MLflow answers again (same store, same port) after %d s down",
        TimeUnit.NANOSECONDS.toSeconds(System.nanoTime() - down));
    return null;
  }

  /** A line of the timeline, {@code m:ss} since the start. */
  synchronized void say(String format, Object... args) {
    long s = TimeUnit.NANOSECONDS.toSeconds(System.nanoTime() - startNanos);
    System.out.printf(
        Locale.ROOT, "%3d:%02d  %s%n", s / 60, s % 60, String.format(Locale.ROOT, format, args));
  }
}
