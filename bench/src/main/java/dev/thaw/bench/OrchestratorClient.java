package dev.thaw.bench;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.thaw.json.ThawJson;
import dev.thaw.trial.TrialResult;
import dev.thaw.worker.protocol.Heartbeat;
import dev.thaw.worker.protocol.HeartbeatReply;
import dev.thaw.worker.protocol.Lease;
import dev.thaw.worker.protocol.LeaseRequest;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.Optional;

/**
 * The orchestrator's REST API as the benchmark uses it: submit and cancel a sweep, and a worker's
 * lease, heartbeat and complete calls (JSON with snake_case keys through {@link ThawJson}). One
 * instance per simulated worker: its own {@link HttpClient}, HTTP/1.1 with keep-alive, like a
 * separate worker process. Any unexpected status is an {@link IOException} naming the call.
 */
final class OrchestratorClient implements AutoCloseable {
  private static final Duration TIMEOUT = Duration.ofSeconds(60);
  private static final ObjectMapper JSON = ThawJson.mapper();

  private final HttpClient http;
  private final URI base;

  OrchestratorClient(URI base) {
    this.base = base;
    this.http =
        HttpClient.newBuilder()
            .version(HttpClient.Version.HTTP_1_1)
            .connectTimeout(Duration.ofSeconds(10))
            .build();
  }

  /** Submits a sweep file and returns the new sweep's id. */
  String submitSweep(String yaml) throws IOException, InterruptedException {
    HttpResponse<String> r =
        send("/api/v1/sweeps", "application/yaml", HttpRequest.BodyPublishers.ofString(yaml), 201);
    return JSON.readTree(r.body()).path("id").asText();
  }

  /** Cancels a sweep: its queued trials will not be leased any more. */
  void cancelSweep(String sweepId) throws IOException, InterruptedException {
    send(
        "/api/v1/sweeps/" + sweepId + "/cancel",
        "application/json",
        HttpRequest.BodyPublishers.noBody(),
        200);
  }

  /** Asks for the next trial; empty when the orchestrator answers 204 (nothing ready). */
  Optional<Lease> lease(LeaseRequest worker) throws IOException, InterruptedException {
    HttpResponse<String> r = send("/api/v1/leases", worker, 200, 204);
    return r.statusCode() == 204
        ? Optional.empty()
        : Optional.of(JSON.readValue(r.body(), Lease.class));
  }

  HeartbeatReply heartbeat(String leaseId, Heartbeat beat)
      throws IOException, InterruptedException {
    HttpResponse<String> r = send("/api/v1/leases/" + leaseId + "/heartbeat", beat, 200);
    return JSON.readValue(r.body(), HeartbeatReply.class);
  }

  void complete(String leaseId, TrialResult result) throws IOException, InterruptedException {
    send("/api/v1/leases/" + leaseId + "/complete", result, 204);
  }

  /** Closes the connections and the client's selector thread. */
  @Override
  public void close() {
    http.close();
  }

  private HttpResponse<String> send(String path, Object body, int... expected)
      throws IOException, InterruptedException {
    return send(
        path,
        "application/json",
        HttpRequest.BodyPublishers.ofByteArray(JSON.writeValueAsBytes(body)),
        expected);
  }

  private HttpResponse<String> send(
      String path, String contentType, HttpRequest.BodyPublisher body, int... expected)
      throws IOException, InterruptedException {
    HttpRequest request =
        HttpRequest.newBuilder(base.resolve(path))
            .timeout(TIMEOUT)
            .header("Content-Type", contentType)
            .header("Accept", "application/json")
            .POST(body)
            .build();
    HttpResponse<String> r = http.send(request, HttpResponse.BodyHandlers.ofString());
    for (int status : expected) {
      if (r.statusCode() == status) {
        return r;
      }
    }
    throw new IOException(
        "POST "
            + path
            + " answered "
            + r.statusCode()
            + " (expected "
            + expectedText(expected)
            + "): "
            + r.body());
  }

  private static String expectedText(int[] expected) {
    StringBuilder s = new StringBuilder();
    for (int e : expected) {
      s.append(s.isEmpty() ? "" : " or ").append(e);
    }
    return s.toString();
  }
}
