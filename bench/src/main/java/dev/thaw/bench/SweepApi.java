package dev.thaw.bench;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.thaw.auth.ClientToken;
import dev.thaw.auth.TokenRole;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;

/**
 * The user API of an orchestrator a benchmark launched ({@code chaos}, {@code sweep-vs-optuna}):
 * readiness, submit a sweep, follow its state and trial counts, read its detail. Every call is one
 * short request, so an orchestrator that is down (being restarted) is an {@link IOException} the
 * caller retries. Calls carry the API token the orchestrator generated into the scratch {@code
 * THAW_CACHE} (found as the CLI finds it, {@link ClientToken#find}); the health check needs none.
 */
final class SweepApi {
  private static final ObjectMapper JSON = new ObjectMapper();

  /** A sweep's state ({@code running}, {@code completed}, ...) and its completed trials. */
  record Progress(String state, int completed) {
    boolean ended() {
      return !"running".equals(state);
    }
  }

  private final URI base;
  private final Path cache;
  private final String origin;
  private String token;
  private final HttpClient http =
      HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(3)).build();

  /**
   * @param cache the {@code THAW_CACHE} of the orchestrator, where it writes its tokens
   * @param origin what submitted sweeps say submitted them, e.g. {@code bench-chaos}
   */
  SweepApi(URI base, Path cache, String origin) {
    this.base = base;
    this.cache = cache;
    this.origin = origin;
  }

  URI base() {
    return base;
  }

  /** True when {@code /q/health/ready} answers 200. */
  boolean ready() {
    try {
      return send(HttpRequest.newBuilder(base.resolve("/q/health/ready")).GET()).statusCode()
          == 200;
    } catch (IOException notYet) {
      return false;
    }
  }

  /** Submits a sweep file; returns the sweep's id. */
  String submit(String yaml) throws IOException {
    HttpResponse<String> r =
        send(
            HttpRequest.newBuilder(base.resolve("/api/v1/sweeps?origin=" + origin))
                .header("Content-Type", "application/yaml")
                .POST(HttpRequest.BodyPublishers.ofString(yaml)));
    if (r.statusCode() != 201) {
      throw new IOException("submitting the sweep: " + r.statusCode() + " " + r.body());
    }
    return JSON.readTree(r.body()).path("id").asText();
  }

  /** The sweep's detail as the API answers it: the sweep with its counts, and its trials. */
  JsonNode detail(String sweepId) throws IOException {
    HttpResponse<String> r =
        send(HttpRequest.newBuilder(base.resolve("/api/v1/sweeps/" + sweepId)).GET());
    if (r.statusCode() != 200) {
      throw new IOException("sweep " + sweepId + ": " + r.statusCode() + " " + r.body());
    }
    return JSON.readTree(r.body());
  }

  /** The sweep's state and completed trials. */
  Progress progress(String sweepId) throws IOException {
    JsonNode summary = detail(sweepId).path("sweep");
    return new Progress(
        summary.path("state").asText(), summary.path("counts").path("completed").asInt());
  }

  private HttpResponse<String> send(HttpRequest.Builder request) throws IOException {
    if (token == null) {
      token =
          ClientToken.find(TokenRole.API, base, Map.of(), cache)
              .map(ClientToken::value)
              .orElse(null);
    }
    if (token != null) {
      request.header("Authorization", "Bearer " + token);
    }
    try {
      return http.send(
          request.header("Accept", "application/json").timeout(Duration.ofSeconds(10)).build(),
          HttpResponse.BodyHandlers.ofString());
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IOException("interrupted", e);
    }
  }
}
