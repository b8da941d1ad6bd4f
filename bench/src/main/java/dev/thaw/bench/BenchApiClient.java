package dev.thaw.bench;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.thaw.json.ThawJson;
import dev.thaw.protocol.Heartbeat;
import dev.thaw.protocol.HeartbeatReply;
import dev.thaw.protocol.Lease;
import dev.thaw.protocol.LeaseRequest;
import dev.thaw.trial.TrialResult;
import java.io.IOException;
import java.net.URI;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import org.apache.hc.client5.http.config.ConnectionConfig;
import org.apache.hc.client5.http.config.RequestConfig;
import org.apache.hc.client5.http.impl.classic.CloseableHttpClient;
import org.apache.hc.client5.http.impl.classic.HttpClients;
import org.apache.hc.client5.http.impl.io.BasicHttpClientConnectionManager;
import org.apache.hc.core5.http.ClassicHttpRequest;
import org.apache.hc.core5.http.ContentType;
import org.apache.hc.core5.http.ParseException;
import org.apache.hc.core5.http.io.entity.ByteArrayEntity;
import org.apache.hc.core5.http.io.entity.EntityUtils;
import org.apache.hc.core5.http.io.entity.StringEntity;
import org.apache.hc.core5.http.io.support.ClassicRequestBuilder;
import org.apache.hc.core5.io.CloseMode;

/**
 * The orchestrator's REST API as the benchmark uses it: submit and cancel a sweep, and a worker's
 * lease, heartbeat, complete and complete-and-lease calls (JSON with snake_case keys through {@link
 * ThawJson}). One instance per simulated worker with its own single keep-alive HTTP/1.1 connection,
 * like a separate worker process. Apache HttpClient's classic (blocking) client does the HTTP: it
 * works on the calling thread, where {@code java.net.http} hands each call to its selector thread
 * and back and spent several times the CPU per call, CPU the orchestrator needs on a shared 2-core
 * machine. Any unexpected status is an {@link IOException} naming the call. Calls under {@code
 * /api/v1/leases} carry the worker token, the others the API token.
 */
final class BenchApiClient implements AutoCloseable {
  private static final ObjectMapper JSON = ThawJson.mapper();

  private final CloseableHttpClient http;
  private final URI base;
  private final String apiToken;
  private final String workerToken;

  /** A status and body as received. */
  private record Reply(int status, String body) {}

  /** A client of the orchestrator that {@code process} runs, with its tokens. */
  BenchApiClient(OrchestratorProcess process) {
    this(process.base(), process.apiToken(), process.workerToken());
  }

  BenchApiClient(URI base, String apiToken, String workerToken) {
    this.base = base;
    this.apiToken = apiToken;
    this.workerToken = workerToken;
    BasicHttpClientConnectionManager connection = new BasicHttpClientConnectionManager();
    connection.setConnectionConfig(
        ConnectionConfig.custom().setConnectTimeout(10, TimeUnit.SECONDS).build());
    this.http =
        HttpClients.custom()
            .setConnectionManager(connection)
            .setDefaultRequestConfig(
                RequestConfig.custom().setResponseTimeout(60, TimeUnit.SECONDS).build())
            .disableAutomaticRetries()
            .build();
  }

  /** Submits a sweep file and returns the new sweep's id. */
  String submitSweep(String yaml) throws IOException {
    Reply r =
        send(
            "/api/v1/sweeps",
            new StringEntity(yaml, ContentType.create("application/yaml", "UTF-8")),
            201);
    return JSON.readTree(r.body()).path("id").asText();
  }

  /** Cancels a sweep: its queued trials will not be leased any more. */
  void cancelSweep(String sweepId) throws IOException {
    send("/api/v1/sweeps/" + sweepId + "/cancel", null, 200);
  }

  /** Asks for the next trial; empty when the orchestrator answers 204 (nothing ready). */
  Optional<Lease> lease(LeaseRequest worker) throws IOException {
    Reply r = send("/api/v1/leases", json(worker), 200, 204);
    return r.status() == 204
        ? Optional.empty()
        : Optional.of(JSON.readValue(r.body(), Lease.class));
  }

  HeartbeatReply heartbeat(String leaseId, Heartbeat beat) throws IOException {
    Reply r = send("/api/v1/leases/" + leaseId + "/heartbeat", json(beat), 200);
    return JSON.readValue(r.body(), HeartbeatReply.class);
  }

  void complete(String leaseId, TrialResult result) throws IOException {
    send("/api/v1/leases/" + leaseId + "/complete", json(result), 204);
  }

  /**
   * Completes the trial and leases the next one in one call ({@code complete?next=true}); empty
   * when the orchestrator answers 204 (nothing ready).
   */
  Optional<Lease> completeAndLease(String leaseId, TrialResult result) throws IOException {
    Reply r = send("/api/v1/leases/" + leaseId + "/complete?next=true", json(result), 200, 204);
    return r.status() == 204
        ? Optional.empty()
        : Optional.of(JSON.readValue(r.body(), Lease.class));
  }

  /** Closes the connection. */
  @Override
  public void close() {
    http.close(CloseMode.GRACEFUL);
  }

  private static ByteArrayEntity json(Object body) throws IOException {
    return new ByteArrayEntity(JSON.writeValueAsBytes(body), ContentType.APPLICATION_JSON);
  }

  private Reply send(String path, org.apache.hc.core5.http.HttpEntity body, int... expected)
      throws IOException {
    ClassicHttpRequest request =
        ClassicRequestBuilder.post(base.resolve(path))
            .setHeader("Accept", "application/json")
            .setHeader(
                "Authorization",
                "Bearer " + (path.startsWith("/api/v1/leases") ? workerToken : apiToken))
            .setEntity(body)
            .build();
    Reply r =
        http.execute(
            request,
            response -> {
              try {
                return new Reply(
                    response.getCode(),
                    response.getEntity() == null ? "" : EntityUtils.toString(response.getEntity()));
              } catch (ParseException e) {
                throw new IOException("POST " + path + ": unreadable reply", e);
              }
            });
    for (int status : expected) {
      if (r.status() == status) {
        return r;
      }
    }
    throw new IOException(
        "POST "
            + path
            + " answered "
            + r.status()
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
