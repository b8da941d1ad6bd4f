package dev.thaw.mlflow;

import java.io.IOException;
import java.net.URI;
import java.net.URISyntaxException;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;

/**
 * The MLflow server's artifact proxy: a run's artifacts go up with a plain HTTP PUT, because the
 * Java client's {@code logArtifact} would fork Python.
 */
final class ArtifactProxy implements AutoCloseable {
  private static final String ARTIFACT_SCHEME = "mlflow-artifacts:";

  private final TrackerConfig config;
  private final HttpClient http;

  ArtifactProxy(TrackerConfig config) {
    this.config = config;
    this.http =
        HttpClient.newBuilder()
            .connectTimeout(config.requestTimeout())
            .followRedirects(HttpClient.Redirect.NORMAL)
            .build();
  }

  /** PUTs {@code file} to {@code relativePath} in the run's artifacts, through the proxy. */
  void upload(String artifactUri, String relativePath, Path file) throws CallFailed {
    URI target = target(artifactUri, relativePath);
    long bytes;
    try {
      bytes = Files.size(file);
    } catch (IOException e) {
      throw new CallFailed("spooled artifact " + file + " is gone: " + e, true, e);
    }
    // Big files get one extra second per MB on top of the request timeout.
    Duration timeout = config.requestTimeout().plusSeconds(bytes >> 20);
    HttpRequest.Builder request =
        HttpRequest.newBuilder(target)
            .timeout(timeout)
            .header("Content-Type", "application/octet-stream");
    if (config.token() != null) {
      request.header("Authorization", "Bearer " + config.token());
    }
    HttpResponse<String> response;
    try {
      request.PUT(HttpRequest.BodyPublishers.ofFile(file));
      response = http.send(request.build(), HttpResponse.BodyHandlers.ofString());
    } catch (IOException e) {
      throw new CallFailed("upload " + relativePath + " to " + target + ": " + e, false, e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new CallFailed("upload " + relativePath + " interrupted", false, e);
    }
    int status = response.statusCode();
    if (status / 100 != 2) {
      throw new CallFailed(
          "upload " + relativePath + " to " + target + ": HTTP " + status + " " + response.body(),
          CallFailed.permanentStatus(status),
          null);
    }
  }

  /**
   * {@code PUT {tracking}/api/2.0/mlflow-artifacts/artifacts/<artifact_uri without the
   * mlflow-artifacts: prefix>/<relativePath>}.
   */
  URI target(String artifactUri, String relativePath) throws CallFailed {
    if (artifactUri == null || !artifactUri.startsWith(ARTIFACT_SCHEME)) {
      throw new CallFailed(
          "the MLflow server at "
              + config.trackingUri()
              + " does not proxy artifacts (the run's artifact URI is '"
              + artifactUri
              + "'); start it with --serve-artifacts (scripts/mlflow-server does)",
          true,
          null);
    }
    String path = artifactUri.substring(ARTIFACT_SCHEME.length());
    if (path.startsWith("//")) { // mlflow-artifacts://host:port/path: the path part
      int slash = path.indexOf('/', 2);
      path = slash < 0 ? "" : path.substring(slash);
    }
    if (!path.startsWith("/")) {
      path = "/" + path;
    }
    URI base = config.trackingUri();
    String basePath = base.getPath() == null ? "" : base.getPath();
    try {
      return new URI(
          base.getScheme(),
          null,
          base.getHost(),
          base.getPort(),
          basePath + "/api/2.0/mlflow-artifacts/artifacts" + path + "/" + relativePath,
          null,
          null);
    } catch (URISyntaxException e) {
      throw new CallFailed("artifact path '" + relativePath + "': " + e.getMessage(), true, e);
    }
  }

  @Override
  public void close() {
    http.shutdownNow();
  }
}
