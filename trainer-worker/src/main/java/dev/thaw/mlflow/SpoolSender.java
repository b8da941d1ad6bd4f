package dev.thaw.mlflow;

import java.io.IOException;
import java.util.List;
import java.util.Map;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The background thread that sends the spool to the server, oldest operation first, and records
 * every acknowledgement. Metrics, params and tags travel in {@code logBatch} requests cut by {@link
 * LogBatchPlanner}. A batch that could still grow waits up to {@link TrackerConfig#linger()} for
 * more (a short trial's epochs then share one request) unless something is queued behind it, a
 * flush asks for it or the tracker is closing. A failed request is retried with a capped
 * exponential pause until the server takes it; a request the server refuses for good is logged and
 * dropped (a refused batch is first split into single operations, so only the bad one is lost).
 *
 * <p>Exactly once: each head is sent by {@link SpoolDelivery}, which checks an operation that may
 * have reached the server without an acknowledgement before sending it again. The one case left:
 * two identical metric points (same key, step, timestamp and value) logged on purpose and both
 * caught uncertain are sent once.
 */
final class SpoolSender implements Runnable {
  private static final Logger LOG = LoggerFactory.getLogger(SpoolSender.class);

  private final Spool spool;
  private final MlflowGateway gateway;
  private final TrackerConfig config;
  private final SpoolDelivery delivery;
  private final Object pause = new Object();
  private volatile boolean closing;
  private volatile boolean stopped;
  private volatile long hurryThrough;
  private long lingerHead = -1;
  private long lingerUntilNanos;
  private int failures;

  SpoolSender(
      Spool spool, MlflowGateway gateway, TrackerConfig config, Map<String, TrackedRun> runs) {
    this.spool = spool;
    this.gateway = gateway;
    this.config = config;
    this.delivery = new SpoolDelivery(spool, gateway, runs);
  }

  /** Retries at once and keeps retrying quickly: the tracker is closing. */
  void closing() {
    closing = true;
    synchronized (pause) {
      pause.notifyAll();
    }
    spool.wakeUp();
  }

  /** Sends the operations up to {@code seq} without lingering: someone waits for them. */
  void hurry(long seq) {
    if (seq > hurryThrough) {
      hurryThrough = seq;
    }
    spool.wakeUp();
  }

  /** Ends the loop after the current request. */
  void stop() {
    stopped = true;
    closing();
  }

  /** How many operations the server refused for good so far. */
  int refused() {
    return delivery.refused();
  }

  @Override
  public void run() {
    while (!stopped) {
      try {
        List<SpoolOp> window = spool.head(LogBatchPlanner.MAX_ITEMS);
        if (window.isEmpty()) {
          spool.awaitPending(1000);
          continue;
        }
        long linger = lingerMillis(window);
        if (linger > 0) {
          spool.awaitNewerThan(window.get(window.size() - 1).seq(), linger);
          continue;
        }
        long done = delivery.sendHead(window);
        if (done > 0) {
          spool.ack(done);
        }
        if (failures > 0) {
          LOG.info(
              "MLflow at {} answers again; {} spooled operations left to send",
              gateway.uri(),
              spool.pendingCount());
          failures = 0;
        }
      } catch (CallFailed e) {
        if (stopped) {
          break;
        }
        failures++;
        long delay = backoffMillis(failures);
        if (failures == 1) {
          LOG.warn(
              "MLflow at {} is not taking requests ({}); {} operations kept in spool {}, retrying"
                  + " up to every {} s",
              gateway.uri(),
              e.getMessage(),
              spool.pendingCount(),
              spool.dir(),
              config.retryMax().toSeconds());
        } else {
          LOG.debug("MLflow retry {} failed: {}", failures, e.getMessage());
        }
        sleep(delay);
      } catch (IOException e) {
        if (stopped) {
          break;
        }
        failures++;
        LOG.error("tracking spool {} cannot be written: {}", spool.dir(), e.toString());
        sleep(backoffMillis(failures));
      } catch (InterruptedException e) {
        break;
      } catch (RuntimeException e) {
        // A bug must not end the thread silently with data in the spool.
        failures++;
        LOG.error("MLflow sender: unexpected error; retrying", e);
        sleep(backoffMillis(failures));
      }
    }
  }

  /**
   * How much longer the head of the queue may wait for company: only when all that is pending is
   * one {@code logBatch} that could still grow, counted from when that head was first seen.
   */
  private long lingerMillis(List<SpoolOp> window) {
    long linger = config.linger().toMillis();
    SpoolOp head = window.get(0);
    if (linger == 0
        || closing
        || !head.batchable()
        || head.seq() <= hurryThrough
        || head.seq() <= delivery.singlesThrough()
        || spool.uncertain(head.seq())
        || window.size() >= LogBatchPlanner.MAX_ITEMS
        || LogBatchPlanner.next(window, LogBatchPlanner.MAX_ITEMS).size() < window.size()) {
      return 0;
    }
    long now = System.nanoTime();
    if (head.seq() != lingerHead) {
      lingerHead = head.seq();
      lingerUntilNanos = now + linger * 1_000_000;
    }
    long left = lingerUntilNanos - now;
    return left <= 0 ? 0 : Math.max(1, left / 1_000_000);
  }

  private long backoffMillis(int attempt) {
    long initial = config.retryInitial().toMillis();
    long max =
        closing ? Math.min(1000, config.retryMax().toMillis()) : config.retryMax().toMillis();
    int doublings = Math.min(attempt - 1, 30);
    return Math.min(max, initial << doublings);
  }

  private void sleep(long millis) {
    synchronized (pause) {
      try {
        if (!stopped) {
          pause.wait(millis);
        }
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        stopped = true;
      }
    }
  }
}
