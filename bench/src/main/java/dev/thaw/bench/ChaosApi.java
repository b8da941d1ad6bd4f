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
 * The orchestrator's REST API as the chaos benchmark uses it: submit the sweep, follow its state
 * and trial counts, and readiness. Every call is one short request, so an orchestrator that is down
 * (being restarted) is an {@link IOException} the caller retries. Calls carry the API token the
 * orchestrator generated into the scratch {@code THAW_CACHE} (found as the CLI finds it, {@link
 * ClientToken#find}); the health check needs none.
 */
final class ChaosApi {
  private static final ObjectMapper JSON = new ObjectMapper();

  /** A sweep's state ({@code running}, {@code completed}, ...) and its completed trials. */
  record Progress(String state, int completed) {
    boolean ended() {
      return !"running".equals(state);
    }
  }

  private final URI base;
  private final Path cache;
  private String token;
  private final HttpClient http =
      HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(3)).build();

  /**
   * @param cache the {@code THAW_CACHE} of the orchestrator, where it writes its tokens
   */
  ChaosApi(URI base, Path cache) {
    this.base = base;
    this.cache = cache;
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
            HttpRequest.newBuilder(base.resolve("/api/v1/sweeps?origin=bench-chaos"))
                .header("Content-Type", "application/yaml")
                .POST(HttpRequest.BodyPublishers.ofString(yaml)));
    if (r.statusCode() != 201) {
      throw new IOException("submitting the sweep: " + r.statusCode() + " " + r.body());
    }
    return JSON.readTree(r.body()).path("id").asText();
  }

  Progress progress(String sweepId) throws IOException {
    HttpResponse<String> r =
        send(HttpRequest.newBuilder(base.resolve("/api/v1/sweeps/" + sweepId)).GET());
    if (r.statusCode() != 200) {
      throw new IOException("sweep " + sweepId + ": " + r.statusCode() + " " + r.body());
    }
    JsonNode summary = JSON.readTree(r.body()).path("sweep");
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
