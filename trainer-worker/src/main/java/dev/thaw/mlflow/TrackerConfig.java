package dev.thaw.mlflow;

import dev.thaw.data.ThawPaths;
import java.net.URI;
import java.net.URISyntaxException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Objects;

/**
 * Settings of a {@link Tracker}. Start from {@link #of(String)} and change what differs with the
 * {@code with...} methods.
 *
 * @param trackingUri the MLflow server, {@code http://} or {@code https://}, without a trailing
 *     slash
 * @param token a bearer token for the server, or null
 * @param spoolDir the journal of operations not yet acknowledged by the server; one tracker at a
 *     time per directory. A tracker opened on the directory of a dead process sends what is left.
 * @param requestTimeout the longest one request to the server may take before it counts as failed
 * @param retryInitial the first pause after a failed request; it doubles up to {@code retryMax}
 * @param retryMax the longest pause between retries
 * @param closeTimeout how long {@link Tracker#close()} waits for the spool to drain
 * @param linger how long metrics, params and tags may wait in the spool for more to send in the
 *     same {@code logBatch} request; zero sends each call's operations at once. Anything else
 *     queued behind them (an artifact, the end of the run, another run), a full batch, {@link
 *     Tracker#flush} and closing all end the wait.
 */
public record TrackerConfig(
    URI trackingUri,
    String token,
    Path spoolDir,
    Duration requestTimeout,
    Duration retryInitial,
    Duration retryMax,
    Duration closeTimeout,
    Duration linger) {

  /** Default {@link #linger()}: epochs shorter than this share a request. */
  public static final Duration DEFAULT_LINGER = Duration.ofSeconds(2);

  /** Environment variable with the tracking URI, as MLflow's own clients read it. */
  public static final String URI_ENV = "MLFLOW_TRACKING_URI";

  /** Environment variable with a bearer token, as MLflow's own clients read it. */
  public static final String TOKEN_ENV = "MLFLOW_TRACKING_TOKEN";

  public TrackerConfig {
    Objects.requireNonNull(trackingUri, "trackingUri");
    Objects.requireNonNull(spoolDir, "spoolDir");
    String scheme = trackingUri.getScheme();
    if (!"http".equalsIgnoreCase(scheme) && !"https".equalsIgnoreCase(scheme)
        || trackingUri.getHost() == null) {
      throw new IllegalArgumentException(
          "MLflow tracking URI '"
              + trackingUri
              + "' is not an http:// or https:// server address (e.g. http://127.0.0.1:5000)");
    }
    positive(requestTimeout, "requestTimeout");
    positive(retryInitial, "retryInitial");
    positive(closeTimeout, "closeTimeout");
    if (linger == null || linger.isNegative()) {
      throw new IllegalArgumentException("linger must be >= 0 (got " + linger + ")");
    }
    if (retryMax.compareTo(retryInitial) < 0) {
      throw new IllegalArgumentException(
          "retryMax " + retryMax + " is shorter than retryInitial " + retryInitial);
    }
  }

  /**
   * Defaults for a server: no token, spool in {@link #defaultSpoolDir()}, 30 s per request, retries
   * from 0.5 s up to 30 s apart, 10 s to drain on close, metrics linger up to {@link
   * #DEFAULT_LINGER} for company.
   *
   * @throws IllegalArgumentException when the URI is not an http(s) address
   */
  public static TrackerConfig of(String trackingUri) {
    String trimmed = trackingUri == null ? "" : trackingUri.strip();
    while (trimmed.endsWith("/")) {
      trimmed = trimmed.substring(0, trimmed.length() - 1);
    }
    URI uri;
    try {
      uri = new URI(trimmed);
    } catch (URISyntaxException e) {
      throw new IllegalArgumentException(
          "MLflow tracking URI '" + trackingUri + "' is not a URI: " + e.getMessage(), e);
    }
    return new TrackerConfig(
        uri,
        null,
        defaultSpoolDir(),
        Duration.ofSeconds(30),
        Duration.ofMillis(500),
        Duration.ofSeconds(30),
        Duration.ofSeconds(10),
        DEFAULT_LINGER);
  }

  /**
   * {@code ~/.cache/thaw/tracking-spool/<pid>} (under {@code $THAW_CACHE} if set). A process that
   * should resume its spool after a restart needs a stable name instead, e.g. its worker id: {@link
   * #withSpoolDir(Path)}.
   */
  public static Path defaultSpoolDir() {
    return ThawPaths.cacheDir()
        .resolve("tracking-spool")
        .resolve(Long.toString(ProcessHandle.current().pid()));
  }

  /** The same settings with a bearer token (null for none). */
  public TrackerConfig withToken(String newToken) {
    return new TrackerConfig(
        trackingUri,
        newToken,
        spoolDir,
        requestTimeout,
        retryInitial,
        retryMax,
        closeTimeout,
        linger);
  }

  /** The same settings with another spool directory. */
  public TrackerConfig withSpoolDir(Path dir) {
    return new TrackerConfig(
        trackingUri, token, dir, requestTimeout, retryInitial, retryMax, closeTimeout, linger);
  }

  /** The same settings with another per-request timeout. */
  public TrackerConfig withRequestTimeout(Duration timeout) {
    return new TrackerConfig(
        trackingUri, token, spoolDir, timeout, retryInitial, retryMax, closeTimeout, linger);
  }

  /** The same settings with other retry pauses. */
  public TrackerConfig withRetry(Duration initial, Duration max) {
    return new TrackerConfig(
        trackingUri, token, spoolDir, requestTimeout, initial, max, closeTimeout, linger);
  }

  /** The same settings with another drain timeout for {@link Tracker#close()}. */
  public TrackerConfig withCloseTimeout(Duration timeout) {
    return new TrackerConfig(
        trackingUri, token, spoolDir, requestTimeout, retryInitial, retryMax, timeout, linger);
  }

  /** The same settings with another {@link #linger()} ({@link Duration#ZERO} for none). */
  public TrackerConfig withLinger(Duration newLinger) {
    return new TrackerConfig(
        trackingUri,
        token,
        spoolDir,
        requestTimeout,
        retryInitial,
        retryMax,
        closeTimeout,
        newLinger);
  }

  @Override
  public String toString() {
    // Never print the token.
    return "TrackerConfig[" + trackingUri + ", spool " + spoolDir + "]";
  }

  private static void positive(Duration d, String name) {
    if (d == null || d.isNegative() || d.isZero()) {
      throw new IllegalArgumentException(name + " must be > 0 (got " + d + ")");
    }
  }
}
