package dev.thaw.orchestrator.mlflow;

import dev.thaw.data.ThawPaths;
import dev.thaw.mlflow.Tracker;
import dev.thaw.mlflow.TrackerConfig;
import dev.thaw.mlflow.TrackingServer;
import jakarta.annotation.PreDestroy;
import jakarta.enterprise.context.ApplicationScoped;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import org.jboss.logging.Logger;

/**
 * The orchestrator's MLflow trackers: one per tracking URI, opened on first use and closed (spool
 * drained as far as the server allows) when the orchestrator shuts down.
 *
 * <p>A tracker's spool is {@code <spool-dir>/orchestrator-<hash of the URI>}, so a restarted
 * orchestrator sends what the previous one left; when that folder is held by another process, a
 * folder of this process is used instead.
 */
@ApplicationScoped
public class Trackers {
  private static final Logger LOG = Logger.getLogger(Trackers.class);

  private final MlflowSettings settings;
  private final Map<String, Tracker> open = new ConcurrentHashMap<>();

  Trackers(MlflowSettings settings) {
    this.settings = settings;
  }

  /**
   * The tracker of {@code trackingUri}, opened if needed.
   *
   * @throws IllegalArgumentException when the URI is not an http(s) address
   * @throws UncheckedIOException when no spool folder can be used
   */
  public Tracker forUri(String trackingUri) {
    TrackerConfig base = TrackerConfig.of(trackingUri).withToken(tokenFor(trackingUri));
    return open.computeIfAbsent(base.trackingUri().toString(), uri -> open(base));
  }

  /** The configured token when {@code uri} is the configured server, else null. */
  String tokenFor(String uri) {
    String token = settings.token().filter(t -> !t.isBlank()).orElse(null);
    String configured = settings.trackingUri().map(String::strip).orElse("");
    if (token == null || configured.isBlank() || !TrackingServer.of(uri).is(configured)) {
      return null;
    }
    return token;
  }

  private Tracker open(TrackerConfig base) {
    Path root =
        settings.spoolDir().map(Path::of).orElse(ThawPaths.cacheDir().resolve("tracking-spool"));
    Path dir = root.resolve("orchestrator-" + shortHash(base.trackingUri().toString()));
    try {
      return Tracker.open(base.withSpoolDir(dir));
    } catch (IOException e) {
      Path own = root.resolve(dir.getFileName() + "-" + ProcessHandle.current().pid());
      LOG.warnf(
          "MLflow spool %s cannot be used (%s); tracking to %s spools in %s instead",
          dir, e.getMessage(), base.trackingUri(), own);
      try {
        return Tracker.open(base.withSpoolDir(own));
      } catch (IOException again) {
        throw new UncheckedIOException(
            "no usable MLflow spool folder for " + base.trackingUri() + " under " + root, again);
      }
    }
  }

  /** Operations spooled on disk and not yet accepted, over every open tracker. */
  public int pendingOperations() {
    return open.values().stream().mapToInt(Tracker::pendingOperations).sum();
  }

  @PreDestroy
  void close() {
    open.values().forEach(Tracker::close);
    open.clear();
  }

  private static String shortHash(String text) {
    try {
      byte[] digest =
          MessageDigest.getInstance("SHA-256").digest(text.getBytes(StandardCharsets.UTF_8));
      return HexFormat.of().formatHex(digest, 0, 6);
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
  }
}
