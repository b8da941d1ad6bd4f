package dev.thaw.worker;

import dev.thaw.mlflow.Tracker;
import dev.thaw.mlflow.TrackerConfig;
import dev.thaw.mlflow.TrackingServer;
import java.io.IOException;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A worker's open {@link Tracker}s, one per tracking server, each spooling in {@code <spool
 * root>/<server>}; the worker's MLflow token goes only to the server it was configured for.
 */
final class TrackerPool implements AutoCloseable {
  // Logs as AttemptRuns, so a worker's MLflow lines share one logger.
  private static final Logger LOG = LoggerFactory.getLogger(AttemptRuns.class);

  /** Suffix of the file beside a spool that names its server's URI. */
  static final String SERVER_SUFFIX = ".server";

  private final Path spoolRoot;
  private final Map<String, Tracker> trackers = new LinkedHashMap<>();

  TrackerPool(Path spoolRoot) {
    this.spoolRoot = spoolRoot;
  }

  /** The tracker for {@code uri}, opened on first use. */
  synchronized Tracker tracker(String uri) throws IOException {
    TrackerConfig base = TrackerConfig.of(uri);
    String key = base.trackingUri().toString();
    Tracker open = trackers.get(key);
    if (open == null) {
      String token =
          tokenFor(
              uri, System.getenv(TrackerConfig.URI_ENV), System.getenv(TrackerConfig.TOKEN_ENV));
      URI u = base.trackingUri();
      String server =
          (u.getHost() + "-" + u.getPort() + u.getPath()).replaceAll("[^A-Za-z0-9.-]", "_");
      open =
          Tracker.open(
              base.withToken(token == null || token.isBlank() ? null : token)
                  .withSpoolDir(spoolRoot.resolve(server)));
      trackers.put(key, open);
      // Beside the spool, which server it is for: a later worker sends what this one left.
      Files.writeString(spoolRoot.resolve(server + SERVER_SUFFIX), key);
    }
    return open;
  }

  /**
   * Opens a tracker for every spool a previous worker (this worker's id, killed or stopped while
   * its server was away) left with operations not yet sent, so they reach the server now rather
   * than when, and if, this worker leases another trial tracked there. A spool whose server cannot
   * be told is left as it is.
   */
  synchronized void resumeLeftovers() {
    if (!Files.isDirectory(spoolRoot)) {
      return;
    }
    List<Path> notes;
    try (Stream<Path> files = Files.list(spoolRoot)) {
      notes = files.filter(f -> f.getFileName().toString().endsWith(SERVER_SUFFIX)).toList();
    } catch (IOException e) {
      LOG.warn("cannot look for spools left in {}: {}", spoolRoot, e.toString());
      return;
    }
    for (Path note : notes) {
      String name = note.getFileName().toString();
      Path spool = spoolRoot.resolve(name.substring(0, name.length() - SERVER_SUFFIX.length()));
      try {
        if (!hasEntries(spool)) {
          continue;
        }
        String uri = Files.readString(note).strip();
        LOG.info("sending what an earlier worker left in {} to {}", spool, uri);
        tracker(uri);
      } catch (IOException | RuntimeException e) {
        LOG.warn("cannot send the spool {} left by an earlier worker: {}", spool, e.toString());
      }
    }
  }

  private static boolean hasEntries(Path dir) throws IOException {
    if (!Files.isDirectory(dir)) {
      return false;
    }
    try (Stream<Path> entries = Files.list(dir)) {
      return entries.findAny().isPresent();
    }
  }

  /**
   * The worker's MLflow token when {@code uri} is the server it was configured for ({@code
   * MLFLOW_TRACKING_URI}), else null: a sweep names its own server, and the token must not go to a
   * server it was not meant for.
   */
  static String tokenFor(String uri, String configuredUri, String token) {
    if (token == null || token.isBlank()) {
      return null;
    }
    if (configuredUri == null || configuredUri.isBlank()) {
      LOG.warn(
          "{} is set without {}: it is sent to no server (not to {})",
          TrackerConfig.TOKEN_ENV,
          TrackerConfig.URI_ENV,
          uri);
      return null;
    }
    if (!TrackingServer.of(uri).is(configuredUri)) {
      LOG.warn(
          "{} is not sent to {}: it is for {} ({})",
          TrackerConfig.TOKEN_ENV,
          uri,
          configuredUri,
          TrackerConfig.URI_ENV);
      return null;
    }
    return token;
  }

  /** Closes the trackers (each drains its spool as far as its server allows). */
  @Override
  public synchronized void close() {
    trackers.values().forEach(Tracker::close);
    trackers.clear();
  }
}
