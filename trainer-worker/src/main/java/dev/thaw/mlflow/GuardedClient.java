package dev.thaw.mlflow;

import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Function;
import org.mlflow.tracking.MlflowClient;
import org.mlflow.tracking.MlflowClientException;
import org.mlflow.tracking.MlflowHttpException;
import org.mlflow.tracking.creds.BasicMlflowHostCreds;

/**
 * MLflow's Java client with a deadline on every call and a verdict on every failure ({@link
 * CallFailed}). The client's HTTP client has no timeouts, so a watchdog closes the client when a
 * call overruns {@link TrackerConfig#requestTimeout()} (which aborts the blocked request) and the
 * next call gets a new one.
 */
final class GuardedClient implements AutoCloseable {
  private final TrackerConfig config;
  private final ScheduledExecutorService watchdog;
  private MlflowClient client;
  private boolean closed;

  GuardedClient(TrackerConfig config) {
    this.config = config;
    this.watchdog =
        Executors.newSingleThreadScheduledExecutor(
            r -> {
              Thread t = new Thread(r, "thaw-mlflow-watchdog");
              t.setDaemon(true);
              return t;
            });
  }

  /** Runs {@code body} on the client; {@code what} names the call in the failure's message. */
  <T> T call(String what, Function<MlflowClient, T> body) throws CallFailed {
    MlflowClient c = client();
    AtomicBoolean timedOut = new AtomicBoolean();
    ScheduledFuture<?> timer =
        watchdog.schedule(
            () -> {
              timedOut.set(true);
              discard(c);
            },
            config.requestTimeout().toMillis(),
            TimeUnit.MILLISECONDS);
    try {
      return body.apply(c);
    } catch (MlflowHttpException e) {
      throw new CallFailed(
          what + ": HTTP " + e.getStatusCode() + " " + e.getBodyMessage(),
          CallFailed.permanentStatus(e.getStatusCode()),
          e);
    } catch (MlflowClientException e) {
      String reason =
          timedOut.get()
              ? "no answer within " + config.requestTimeout().toSeconds() + " s"
              : String.valueOf(e.getCause() != null ? e.getCause() : e.getMessage());
      throw new CallFailed(what + ": " + reason, false, e);
    } catch (RuntimeException e) {
      if (timedOut.get()) {
        throw new CallFailed(
            what + ": no answer within " + config.requestTimeout().toSeconds() + " s", false, e);
      }
      throw new CallFailed(what + ": " + e, false, e);
    } finally {
      timer.cancel(false);
    }
  }

  private synchronized MlflowClient client() throws CallFailed {
    if (closed) {
      throw new CallFailed("the tracker is closed", false, null);
    }
    if (client == null) {
      String host = config.trackingUri().toString();
      client =
          config.token() == null
              ? new MlflowClient(new BasicMlflowHostCreds(host))
              : new MlflowClient(new BasicMlflowHostCreds(host, config.token()));
    }
    return client;
  }

  /** Closes {@code c}, aborting a request in progress; the next call makes a new client. */
  private void discard(MlflowClient c) {
    synchronized (this) {
      if (client == c) {
        client = null;
      }
    }
    c.close();
  }

  /** Aborts whatever is in progress and refuses further calls. */
  @Override
  public void close() {
    MlflowClient c;
    synchronized (this) {
      closed = true;
      c = client;
      client = null;
    }
    if (c != null) {
      c.close();
    }
    watchdog.shutdownNow();
  }
}
