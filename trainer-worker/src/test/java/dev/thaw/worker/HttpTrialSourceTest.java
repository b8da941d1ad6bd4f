package dev.thaw.worker;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import dev.thaw.auth.ClientToken;
import dev.thaw.json.ThawJson;
import dev.thaw.protocol.Failure;
import dev.thaw.protocol.HandBack;
import dev.thaw.protocol.Heartbeat;
import dev.thaw.protocol.HeartbeatReply;
import dev.thaw.protocol.Lease;
import dev.thaw.protocol.LeaseRequest;
import dev.thaw.protocol.MlflowTracking;
import dev.thaw.trial.EpochMetrics;
import dev.thaw.trial.Metric;
import dev.thaw.trial.Stage;
import dev.thaw.trial.TrialResult;
import java.io.IOException;
import java.net.ServerSocket;
import java.net.URI;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * The worker's HTTP client of the lease protocol against a real HTTP server playing orchestrator.
 */
class HttpTrialSourceTest {
  private static final LeaseRequest ME = new LeaseRequest("w-1", "host-a", "cpu()");
  private static final String LEASE =
      """
      {"lease_id": "L1", "trial_id": "t-0", "attempt": 1, "sweep_id": "s1",
       "sweep_name": "quickstart", "config_hash": "abc", "lease_seconds": 30,
       "heartbeat_seconds": 10,
       "trial": {"id": "t-0", "source_model": "scratch:thaw-cnn-w4",
                 "target": {"dataset": "mnist[0-2]", "split_seed": 7}, "epochs": 2, "seed": 8}}
      """;
  private static final String LOST =
      """
      {"error": "lease_lost", "message": "lease L1 expired and went to worker w-2", "details": []}
      """;

  private OrchestratorHttpDouble orchestrator;
  private HttpTrialSource source;

  @AfterEach
  void close() {
    if (source != null) {
      source.close();
    }
    if (orchestrator != null) {
      orchestrator.close();
    }
  }

  private HttpTrialSource source(URI url, Duration budget) {
    source =
        new HttpTrialSource(
            url,
            new HttpTrialSource.Settings(
                Duration.ofSeconds(2),
                Duration.ofSeconds(5),
                new Backoff(Duration.ofMillis(20), Duration.ofMillis(100)),
                budget),
            Optional.empty());
    return source;
  }

  private HttpTrialSource started() throws IOException {
    orchestrator = OrchestratorHttpDouble.start();
    return source(orchestrator.baseUrl(), Duration.ofSeconds(2));
  }

  private static JsonNode json(String body) throws IOException {
    return ThawJson.mapper().readTree(body);
  }

  @Test
  void aLeasePostsTheWorkerAndReadsTheTrial() throws IOException {
    HttpTrialSource http = started();
    orchestrator.then(200, LEASE);
    Lease lease = http.lease(ME).orElseThrow();
    assertEquals("L1", lease.leaseId());
    assertEquals(10, lease.heartbeatSeconds());
    assertEquals("mnist[0-2]", lease.trial().target().dataset());
    assertEquals(7L, lease.trial().target().splitSeed());
    assertEquals(8L, lease.trial().seed());
    assertNull(
        lease.mlflow(), "a lease without mlflow settings (older orchestrator) tracks nothing");

    var request = orchestrator.requests().get(0);
    assertEquals("POST", request.method());
    assertEquals("/api/v1/leases", request.path());
    assertEquals("application/json", request.contentType());
    JsonNode body = json(request.body());
    assertEquals("w-1", body.get("worker_id").asText());
    assertEquals("host-a", body.get("host").asText());
    assertEquals("cpu()", body.get("device").asText());
  }

  @Test
  void aLeaseCarriesWhereToTrackInMlflow() throws IOException {
    HttpTrialSource http = started();
    orchestrator.then(
        200,
        LEASE.strip().substring(0, LEASE.strip().length() - 1)
            + ", \"mlflow\": {\"tracking_uri\": \"http://127.0.0.1:5000\","
            + " \"experiment\": \"quickstart\", \"parent_run_id\": \"abc123\"}}");
    Lease lease = http.lease(ME).orElseThrow();
    assertEquals(
        new MlflowTracking("http://127.0.0.1:5000", "quickstart", "abc123"), lease.mlflow());
  }

  @Test
  void noTrialReadyIs204AndAnEmptyLease() throws IOException {
    HttpTrialSource http = started();
    orchestrator.then(204, null);
    assertEquals(Optional.empty(), http.lease(ME));
  }

  @Test
  void heartbeatCompleteAndFailGoToTheLeasesPathsWithSnakeCaseBodies() throws IOException {
    HttpTrialSource http = started();
    orchestrator
        .then(200, "{\"action\": \"stop\", \"reason\": \"pruned\", \"lease_seconds\": 30}")
        .then(204, null)
        .then(204, null);
    EpochMetrics epoch = new EpochMetrics(1, Stage.FINE_TUNE, 0.9, 0.8, 0.75, 1.5, 800);
    HeartbeatReply reply = http.heartbeat("L1", new Heartbeat(List.of(epoch)));
    assertEquals(HeartbeatReply.Action.STOP, reply.action());
    assertEquals("pruned", reply.reason());
    http.complete("L1", result());
    http.fail("L 2", new Failure("DatasetException: no such folder", false));

    var requests = orchestrator.requests();
    assertEquals(
        List.of(
            "/api/v1/leases/L1/heartbeat",
            "/api/v1/leases/L1/complete",
            "/api/v1/leases/L%202/fail"),
        requests.stream().map(OrchestratorHttpDouble.Request::path).toList());
    JsonNode beat = json(requests.get(0).body());
    assertEquals(0.75, beat.get("epochs").get(0).get("val_accuracy").asDouble());
    assertEquals("fine_tune", beat.get("epochs").get(0).get("stage").asText());
    JsonNode done = json(requests.get(1).body());
    assertEquals("t-0", done.get("trial_id").asText());
    assertEquals(2, done.get("epochs_run").asInt());
    JsonNode failed = json(requests.get(2).body());
    assertEquals("DatasetException: no such folder", failed.get("reason").asText());
    assertFalse(failed.get("retryable").asBoolean());
  }

  @Test
  void aHandBackGoesToItsPathAndFallsBackToARetryableFailureWhereThereIsNone() throws IOException {
    HttpTrialSource http = started();
    orchestrator.then(204, null);
    http.handBack("L1", new HandBack("worker w stopped: SIGTERM"));
    orchestrator.then(404, "{\"error\": \"not_found\", \"message\": \"no such path\"}");
    orchestrator.then(204, null);
    http.handBack("L2", new HandBack("worker w stopped: SIGTERM"));
    var requests = orchestrator.requests();
    assertEquals(
        List.of(
            "/api/v1/leases/L1/hand-back", "/api/v1/leases/L2/hand-back", "/api/v1/leases/L2/fail"),
        requests.stream().map(OrchestratorHttpDouble.Request::path).toList());
    assertEquals("worker w stopped: SIGTERM", json(requests.get(0).body()).get("reason").asText());
    assertTrue(json(requests.get(2).body()).get("retryable").asBoolean(), "an old orchestrator");
  }

  @Test
  void completeAndLeaseIsOneCallThatAnswersTheNextLease() throws IOException {
    HttpTrialSource http = started();
    orchestrator.then(200, LEASE.replace("\"L1\"", "\"L2\"")).then(204, null);
    Lease next = http.completeAndLease("L1", result(), ME).orElseThrow();
    assertEquals("L2", next.leaseId());
    assertEquals("mnist[0-2]", next.trial().target().dataset());
    assertEquals(
        Optional.empty(),
        http.completeAndLease("L2", result(), ME),
        "204: no trial ready, or an orchestrator without ?next");

    var requests = orchestrator.requests();
    assertEquals(2, requests.size(), "one call each");
    assertEquals("/api/v1/leases/L1/complete", requests.get(0).path());
    assertEquals("next=true", requests.get(0).query());
    assertEquals("t-0", json(requests.get(0).body()).get("trial_id").asText());
    assertEquals("/api/v1/leases/L2/complete", requests.get(1).path());
  }

  @Test
  void aRefusedCompleteAndLeaseIsALostLease() throws IOException {
    HttpTrialSource http = started();
    orchestrator.then(409, LOST);
    assertThrows(LeaseLostException.class, () -> http.completeAndLease("L1", result(), ME));
    assertEquals(1, orchestrator.requests().size(), "a 409 is not retried");
  }

  @Test
  void conflictIsALostLeaseWithTheOrchestratorsMessage() throws IOException {
    HttpTrialSource http = started();
    orchestrator.then(409, LOST).then(409, LOST).then(409, LOST);
    var beat =
        assertThrows(LeaseLostException.class, () -> http.heartbeat("L1", new Heartbeat(null)));
    assertEquals("L1", beat.leaseId());
    assertTrue(beat.getMessage().contains("expired and went to worker w-2"), beat.getMessage());
    assertThrows(LeaseLostException.class, () -> http.complete("L1", result()));
    assertThrows(LeaseLostException.class, () -> http.fail("L1", new Failure("x", true)));
    assertEquals(3, orchestrator.requests().size(), "a 409 is not retried");
  }

  @Test
  void anotherClientErrorCarriesTheApiErrorAndNamesTheUrlAndCall() throws IOException {
    HttpTrialSource http = started();
    orchestrator.then(
        400,
        """
        {"error": "invalid_request", "message": "bad lease request",
         "details": ["worker_id: required"]}
        """);
    var e = assertThrows(TrialSourceException.class, () -> http.lease(ME));
    assertFalse(e instanceof OrchestratorUnavailableException);
    String m = e.getMessage();
    assertTrue(m.contains(orchestrator.baseUrl().toString()), m);
    assertTrue(m.contains("POST /api/v1/leases"), m);
    assertTrue(m.contains("HTTP 400"), m);
    assertTrue(m.contains("bad lease request: worker_id: required"), m);
    assertEquals(1, orchestrator.requests().size(), "a 400 is not retried");
  }

  @Test
  void serverErrorsAreRetriedUntilTheOrchestratorAnswers() throws IOException {
    HttpTrialSource http = started();
    orchestrator
        .then(503, null)
        .then(500, "{\"oops\": 1}")
        .then(200, "{\"action\": \"continue\", \"lease_seconds\": 30}");
    assertEquals(
        HeartbeatReply.Action.CONTINUE, http.heartbeat("L1", new Heartbeat(null)).action());
    assertEquals(3, orchestrator.requests().size());
  }

  @Test
  void aLeaseIsTriedOnceTheWorkersPollLoopRetriesIt() throws IOException {
    HttpTrialSource http = started();
    orchestrator.then(503, null).then(200, LEASE);
    var e = assertThrows(OrchestratorUnavailableException.class, () -> http.lease(ME));
    assertTrue(e.getMessage().contains("POST /api/v1/leases failed 1 time(s)"), e.getMessage());
    assertTrue(e.getMessage().endsWith("last: HTTP 503"), e.getMessage());
    assertEquals(1, orchestrator.requests().size());
    assertEquals("L1", http.lease(ME).orElseThrow().leaseId());
  }

  @Test
  void aRefusedConnectionIsRetriedUntilTheOrchestratorIsBack() throws Exception {
    int port = freePort();
    HttpTrialSource http = source(URI.create("http://127.0.0.1:" + port), Duration.ofSeconds(10));
    // The orchestrator "restarts": nothing listens for the first 600 ms.
    CompletableFuture<OrchestratorHttpDouble> restarted =
        CompletableFuture.supplyAsync(
            () -> {
              try {
                TimeUnit.MILLISECONDS.sleep(600);
                return OrchestratorHttpDouble.start(port).otherwise(204, null);
              } catch (IOException | InterruptedException e) {
                throw new IllegalStateException(e);
              }
            });
    long t0 = System.nanoTime();
    http.complete("L1", result());
    orchestrator = restarted.get(5, TimeUnit.SECONDS);
    assertTrue(System.nanoTime() - t0 >= 500_000_000L, "the first attempt cannot have worked");
    assertEquals("/api/v1/leases/L1/complete", orchestrator.requests().get(0).path());
  }

  @Test
  void anUnreachableOrchestratorIsNamedWithTheCall() throws IOException {
    int port = freePort();
    HttpTrialSource http = source(URI.create("http://127.0.0.1:" + port), Duration.ofMillis(300));
    var e = assertThrows(OrchestratorUnavailableException.class, () -> http.lease(ME));
    String m = e.getMessage();
    assertTrue(m.startsWith("orchestrator http://127.0.0.1:" + port + " unreachable"), m);
    assertTrue(m.contains("POST /api/v1/leases failed"), m);
    assertTrue(m.contains("cannot connect"), m);
  }

  @Test
  void anUnknownHostNameIsNamedAsSuch() {
    // What a worker container sees when THAW_ORCHESTRATOR_URL names a service of another network.
    HttpTrialSource http =
        source(URI.create("http://no-such-orchestrator.invalid:8080"), Duration.ofMillis(300));
    var e = assertThrows(OrchestratorUnavailableException.class, () -> http.lease(ME));
    String m = e.getMessage();
    assertTrue(
        m.startsWith("orchestrator http://no-such-orchestrator.invalid:8080 unreachable"), m);
    assertTrue(m.contains("cannot resolve the host name 'no-such-orchestrator.invalid'"), m);
  }

  @Test
  void aResultIsRetriedForAsLongAsTheLeaseMayBeValid() throws IOException {
    // The retry budget (200 ms) is shorter than the lease (3 s): complete keeps trying past the
    // budget because the orchestrator could still accept the result.
    orchestrator = OrchestratorHttpDouble.start();
    HttpTrialSource http = source(orchestrator.baseUrl(), Duration.ofMillis(200));
    orchestrator.then(200, LEASE.replace("\"lease_seconds\": 30", "\"lease_seconds\": 3"));
    http.lease(ME);
    for (int i = 0; i < 8; i++) {
      orchestrator.then(503, null); // 8 x 100 ms backoff: ~0.8 s of outage
    }
    orchestrator.then(204, null);
    http.complete("L1", result());
    assertEquals(10, orchestrator.requests().size());

    // A heartbeat has only the budget.
    for (int i = 0; i < 8; i++) {
      orchestrator.then(503, null);
    }
    assertThrows(
        OrchestratorUnavailableException.class, () -> http.heartbeat("L1", new Heartbeat(null)));
  }

  @ParameterizedTest
  @CsvSource(
      delimiter = '|',
      value = {
        "localhost:8080|must start with http:// or https://",
        "ftp://host:21|must start with http:// or https://",
        "http://|malformed",
        "http:///api|has no host",
        "http://host:8080/?x=1|must not have a query",
        "'http://ho st:8080'|malformed"
      })
  void aMalformedUrlIsRefusedWithAnExample(String url, String problem) {
    var e = assertThrows(IllegalArgumentException.class, () -> HttpTrialSource.parseBaseUrl(url));
    assertTrue(e.getMessage().contains(problem), e.getMessage());
    assertTrue(e.getMessage().contains("e.g. http://localhost:8080"), e.getMessage());
  }

  @Test
  void aPathPrefixIsKept() throws IOException {
    orchestrator = OrchestratorHttpDouble.start();
    HttpTrialSource http =
        source(
            HttpTrialSource.parseBaseUrl(orchestrator.baseUrl() + "/thaw/"), Duration.ofSeconds(1));
    http.lease(ME);
    assertEquals("/thaw/api/v1/leases", orchestrator.requests().get(0).path());
  }

  private static int freePort() throws IOException {
    try (ServerSocket socket = new ServerSocket(0)) {
      return socket.getLocalPort();
    }
  }

  private static TrialResult result() {
    return TrialResult.builder()
        .trialId("t-0")
        .configHash("abc")
        .monitor(Metric.VAL_LOSS)
        .bestValue(0.5)
        .bestEpoch(2)
        .epochsRun(2)
        .stoppedEarly(false)
        .wallSeconds(3.0)
        .bestWeights("/runs/t-0/best-0000.params")
        .finalValLoss(0.5)
        .finalValAccuracy(0.8)
        .targetClasses(List.of("0", "1", "2"))
        .trainExamples(90)
        .validationExamples(30)
        .groupLearningRates(List.of(1e-4, 1e-4, 1e-4, 1e-4))
        .epochs(List.of())
        .build();
  }

  @Test
  void everyCallSendsTheWorkerTokenAsABearerToken() throws IOException {
    orchestrator = OrchestratorHttpDouble.start();
    source =
        new HttpTrialSource(
            orchestrator.baseUrl(),
            HttpTrialSource.Settings.defaults(),
            Optional.of(new ClientToken("w-secret", "THAW_WORKER_TOKEN")));
    orchestrator.then(200, LEASE).then(200, "{\"action\": \"continue\", \"lease_seconds\": 30}");
    source.lease(ME).orElseThrow();
    source.heartbeat("L1", new Heartbeat(null));
    assertEquals(
        List.of("Bearer w-secret", "Bearer w-secret"),
        orchestrator.requests().stream()
            .map(OrchestratorHttpDouble.Request::authorization)
            .toList());
  }

  @Test
  void withoutATokenNoAuthorizationHeaderIsSent() throws IOException {
    HttpTrialSource http = started();
    orchestrator.then(204, "");
    assertTrue(http.lease(ME).isEmpty());
    assertNull(orchestrator.requests().get(0).authorization());
  }

  @ParameterizedTest
  @CsvSource({"401, unauthorized", "403, forbidden"})
  void aRefusedTokenStopsAtOnceAndSaysWhichTokenToSet(int status, String code) throws IOException {
    HttpTrialSource http = started();
    orchestrator.then(
        status, "{\"error\": \"" + code + "\", \"message\": \"no\", \"details\": []}");
    var e = assertThrows(TrialSourceException.class, () -> http.lease(ME));
    assertFalse(e instanceof OrchestratorUnavailableException, "not retried as unavailable");
    assertEquals(1, orchestrator.requests().size(), "tried once");
    assertTrue(e.getMessage().contains("HTTP " + status), e.getMessage());
    assertTrue(e.getMessage().contains("THAW_WORKER_TOKEN"), e.getMessage());
    assertTrue(e.getMessage().contains("no token was sent"), e.getMessage());
  }
}
