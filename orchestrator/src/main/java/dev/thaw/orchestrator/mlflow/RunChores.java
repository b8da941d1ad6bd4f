package dev.thaw.orchestrator.mlflow;

import jakarta.annotation.PreDestroy;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.Duration;
import java.util.concurrent.Executors;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.jboss.logging.Logger;

/**
 * Chores on MLflow runs that wait for the server or for another process's spool (a worker's child
 * run to show up, the sweep's parent run to get its id), done on one background thread: a chore is
 * tried at once and again after pauses from 2 s doubling to 1 min until it says it is done, for at
 * most {@link #GIVE_UP_AFTER}. Submitting never blocks and never throws; a chore's exception counts
 * as "not yet".
 */
@ApplicationScoped
public class RunChores {
  /** How long a chore is retried before it is given up (and logged). */
  static final Duration GIVE_UP_AFTER = Duration.ofMinutes(30);

  private static final Logger LOG = Logger.getLogger(RunChores.class);
  private static final long FIRST_PAUSE_MILLIS = 2_000;
  private static final long LONGEST_PAUSE_MILLIS = 60_000;

  /** One try of a chore. */
  @FunctionalInterface
  interface Chore {
    /**
     * @return true when done, false to be tried again later
     * @throws Exception counts as false; logged the first time
     */
    boolean attempt() throws Exception;
  }

  private final ScheduledExecutorService executor =
      Executors.newSingleThreadScheduledExecutor(
          r -> {
            Thread t = new Thread(r, "thaw-mlflow-chores");
            t.setDaemon(true);
            return t;
          });

  /** Runs {@code chore} in the background until it is done or {@link #GIVE_UP_AFTER} passed. */
  void submit(String what, Chore chore) {
    long deadline = System.nanoTime() + GIVE_UP_AFTER.toNanos();
    schedule(new Tries(what, chore, deadline), 0);
  }

  private void schedule(Tries tries, long delayMillis) {
    try {
      executor.schedule(tries, delayMillis, TimeUnit.MILLISECONDS);
    } catch (RejectedExecutionException e) {
      LOG.debugf("MLflow chore '%s' dropped: the orchestrator is shutting down", tries.what);
    }
  }

  @PreDestroy
  void close() {
    executor.shutdownNow();
  }

  /** A chore and how often it was tried. */
  private final class Tries implements Runnable {
    private final String what;
    private final Chore chore;
    private final long deadline;
    private int failures;
    private boolean saidError;

    Tries(String what, Chore chore, long deadline) {
      this.what = what;
      this.chore = chore;
      this.deadline = deadline;
    }

    @Override
    public void run() {
      try {
        if (chore.attempt()) {
          return;
        }
      } catch (Exception | LinkageError e) {
        if (!saidError) {
          saidError = true;
          LOG.infof("MLflow: %s failed for now, will retry: %s", what, e.getMessage());
        }
      }
      failures++;
      long pause = Math.min(LONGEST_PAUSE_MILLIS, FIRST_PAUSE_MILLIS << Math.min(failures - 1, 10));
      if (System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(pause) - deadline > 0) {
        LOG.warnf(
            "MLflow: gave up to %s after %d tries in %d minutes",
            what, failures, GIVE_UP_AFTER.toMinutes());
        return;
      }
      schedule(this, pause);
    }
  }
}
