package dev.thaw.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.thaw.api.Leaderboard;
import dev.thaw.api.SweepDetail;
import dev.thaw.api.SweepState;
import dev.thaw.api.SweepSummary;
import dev.thaw.api.TrialState;
import dev.thaw.auth.TokenFiles;
import dev.thaw.auth.TokenRole;
import java.io.IOException;
import java.net.ConnectException;
import java.net.ServerSocket;
import java.net.http.HttpConnectTimeoutException;
import java.nio.channels.ClosedChannelException;
import java.nio.channels.UnresolvedAddressException;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@link OrchestratorClient} against a {@link StandInOrchestrator} serving canned JSON. */
class OrchestratorClientTest {
  static final int[] COUNTS = {3, 2, 5, 1, 1, 0};

  StandInOrchestrator server;
  OrchestratorClient client;

  @BeforeEach
  void start() throws Exception {
    server = new StandInOrchestrator();
    client = new OrchestratorClient(server.url() + "/");
  }

  @AfterEach
  void stop() {
    server.close();
  }

  @Test
  void submitPostsTheYamlWithItsOriginAndReadsTheSummary() {
    String best =
        CannedJson.trial(4, "completed", 1, 4, 0.912, "{\"freeze_depth\": 1, \"lr_head\": 0.003}");
    server.on(
        "POST",
        "/api/v1/sweeps",
        201,
        CannedJson.summary("s-1", "quickstart", "running", 12, COUNTS, best, null));

    SweepSummary s = client.submit("name: quickstart\n", "my sweep.yaml");

    StandInOrchestrator.Request request = server.requests().get(0);
    assertEquals("application/yaml", request.contentType());
    assertEquals("origin=my sweep.yaml", request.query());
    assertEquals("name: quickstart\n", request.body());
    assertEquals("s-1", s.id());
    assertEquals(SweepState.RUNNING, s.state());
    assertEquals("val_accuracy", s.objective().metric());
    assertNull(s.objective().target());
    assertEquals(12, s.maxTrials());
    assertEquals(2, s.parallelTrials());
    assertEquals(3, s.count(TrialState.QUEUED));
    assertEquals(1, s.count(TrialState.PRUNED));
    assertEquals(7, s.ended());
    assertEquals(4, s.best().number());
    assertEquals(TrialState.COMPLETED, s.best().state());
    assertEquals(0.912, s.best().objective());
    assertEquals(2, s.best().bestEpoch());
    assertEquals(0.003, s.best().params().get("lr_head").doubleValue());
    assertNull(s.stopReason());
  }

  @Test
  void detailLeaderboardListAndCancelReadTheirShapes() {
    String trial = CannedJson.trial(1, "running", 2, 3, null, "{\"a\": 1}");
    server
        .on(
            "GET",
            "/api/v1/sweeps",
            200,
            CannedJson.array(CannedJson.running("s-1", "q", 4, COUNTS)))
        .on(
            "GET",
            "/api/v1/sweeps/s-1",
            200,
            CannedJson.detail(CannedJson.running("s-1", "q", 4, COUNTS), trial))
        .on("GET", "/api/v1/sweeps/s-1/leaderboard", 200, CannedJson.leaderboard("s-1"))
        .on(
            "POST",
            "/api/v1/sweeps/s-1/cancel",
            200,
            CannedJson.summary("s-1", "q", "cancelled", 4, COUNTS, null, "cancelled by a user"));

    assertEquals(List.of("s-1"), client.list().stream().map(SweepSummary::id).toList());
    SweepDetail detail = client.detail("s-1");
    assertEquals(1, detail.trials().size());
    assertEquals(TrialState.RUNNING, detail.trials().get(0).state());
    assertEquals(2, detail.trials().get(0).attempts());
    assertEquals(3, detail.trials().get(0).epochsDone());
    assertNull(detail.trials().get(0).objective());
    Leaderboard board = client.leaderboard("s-1", 5);
    assertEquals("maximize", board.goal());
    assertTrue(board.trials().isEmpty());
    assertEquals(
        "limit=5",
        server.requests().stream()
            .filter(r -> r.path().endsWith("/leaderboard"))
            .findFirst()
            .orElseThrow()
            .query());
    SweepSummary cancelled = client.cancel("s-1");
    assertEquals(SweepState.CANCELLED, cancelled.state());
    assertEquals("cancelled by a user", cancelled.stopReason());
  }

  @Test
  void unknownKeysFromANewerOrchestratorAreIgnored() {
    String summary = CannedJson.running("s-1", "q", 4, COUNTS);
    server.on(
        "GET",
        "/api/v1/sweeps",
        200,
        "[" + summary.replace("{\"id\"", "{\"new_key\": 1, \"id\"") + "]");
    assertEquals("s-1", client.list().get(0).id());
  }

  @Test
  void anApiErrorBecomesAnExceptionWithTheUrlStatusAndDetails() {
    server.on(
        "GET",
        "/api/v1/sweeps/nope",
        404,
        CannedJson.apiError("not_found", "no sweep with id nope"));
    OrchestratorException e =
        assertThrows(OrchestratorException.class, () -> client.detail("nope"));
    assertEquals(404, e.status());
    assertEquals("not_found", e.code());
    assertTrue(e.userError());
    assertEquals(
        "GET " + server.url() + "/api/v1/sweeps/nope: 404 not_found: no sweep with id nope",
        e.getMessage());

    server.on(
        "POST",
        "/api/v1/sweeps",
        400,
        CannedJson.apiError(
            "invalid_sweep", "invalid sweep file x.yaml (2 errors):", "a: bad", "b: worse"));
    OrchestratorException invalid =
        assertThrows(OrchestratorException.class, () -> client.submit("x", "x.yaml"));
    assertEquals(List.of("a: bad", "b: worse"), invalid.details());
    assertTrue(
        invalid.getMessage().endsWith("(2 errors):\n  - a: bad\n  - b: worse"),
        invalid.getMessage());
  }

  @Test
  void aReplyThatIsNotTheOrchestratorsJsonIsNamedAsSuch() {
    server.on("GET", "/api/v1/sweeps", 502, "<html>Bad Gateway</html>");
    OrchestratorException e = assertThrows(OrchestratorException.class, client::list);
    assertEquals(502, e.status());
    assertFalse(e.userError(), "a 5xx is not the user's mistake");
    assertTrue(
        e.getMessage().contains(server.url() + "/api/v1/sweeps: unexpected reply 502"),
        e.getMessage());

    server.on("GET", "/api/v1/sweeps/s-1", 200, "{\"sweep\": 42");
    OrchestratorException broken =
        assertThrows(OrchestratorException.class, () -> client.detail("s-1"));
    assertTrue(broken.getMessage().contains("is this a Thaw orchestrator?"), broken.getMessage());
  }

  @Test
  void anUnreachableOrchestratorIsNamedWithItsUrl() throws Exception {
    int port;
    try (ServerSocket socket = new ServerSocket(0)) {
      port = socket.getLocalPort();
    }
    OrchestratorClient nobody = new OrchestratorClient("http://127.0.0.1:" + port);
    OrchestratorException e = assertThrows(OrchestratorException.class, nobody::list);
    assertEquals(0, e.status());
    assertTrue(e.userError());
    assertTrue(
        e.getMessage()
            .startsWith(
                "cannot reach the orchestrator: GET http://127.0.0.1:"
                    + port
                    + "/api/v1/sweeps failed (connection refused)"),
        e.getMessage());
  }

  @Test
  void connectFailuresWithoutAMessageAreNamedByTheirCause() {
    ConnectException refused = new ConnectException();
    refused.initCause(new ClosedChannelException());
    assertEquals("connection refused", OrchestratorException.describe(refused));
    ConnectException unresolved = new ConnectException();
    unresolved.initCause(new UnresolvedAddressException());
    assertEquals("unknown host", OrchestratorException.describe(unresolved));
    assertEquals(
        "connection timed out",
        OrchestratorException.describe(new HttpConnectTimeoutException("HTTP connect timed out")));
    assertEquals(
        "IOException: stream closed",
        OrchestratorException.describe(new IOException("stream closed")));
  }

  @Test
  void aBaseUrlThatIsNotHttpIsRefused() {
    IllegalArgumentException e =
        assertThrows(
            IllegalArgumentException.class, () -> new OrchestratorClient("localhost:8080"));
    assertTrue(e.getMessage().contains("must be an http(s) URL"), e.getMessage());
  }

  @Test
  void theApiTokenFromTheEnvironmentGoesWithEveryCall(@TempDir Path cache) {
    OrchestratorClient withToken =
        new OrchestratorClient(server.url(), Map.of("THAW_API_TOKEN", "env-token"), cache);
    server.on("GET", "/api/v1/sweeps", 200, "[]");
    withToken.list();
    assertEquals("Bearer env-token", server.requests().get(0).authorization());
  }

  @Test
  void theLocalTokenFileGoesToALoopbackOrchestrator(@TempDir Path cache) {
    String token = TokenFiles.readOrCreate(TokenRole.API.file(cache));
    OrchestratorClient local = new OrchestratorClient(server.url(), Map.of(), cache);
    server.on("GET", "/api/v1/sweeps", 200, "[]");
    local.list();
    assertEquals("Bearer " + token, server.requests().get(0).authorization());
  }

  @Test
  void theLocalTokenFileNeverGoesToAnotherHost(@TempDir Path cache) throws Exception {
    TokenFiles.readOrCreate(TokenRole.API.file(cache));
    // A stand-in that is reached through a name other than localhost: the token stays home.
    String viaName = server.url().replace("127.0.0.1", "thaw-remote.invalid");
    OrchestratorClient remote = new OrchestratorClient(viaName, Map.of(), cache);
    OrchestratorException e = assertThrows(OrchestratorException.class, remote::list);
    assertEquals(0, e.status(), "never reached: " + e.getMessage());
    assertEquals(0, server.requests().size());
    assertTrue(
        new OrchestratorClient("http://orchestrator.example.com", Map.of(), cache)
            .tokenSource()
            .isEmpty());
    assertEquals(
        Optional.of(TokenRole.API.file(cache).toString()),
        new OrchestratorClient("http://localhost:8080", Map.of(), cache).tokenSource());
  }

  @Test
  void aRefusedTokenSaysWhatToSet(@TempDir Path cache) {
    server.on(
        "GET",
        "/api/v1/sweeps",
        401,
        "{\"error\": \"unauthorized\", \"message\": \"this call needs the API token\"}");
    OrchestratorClient anonymous = new OrchestratorClient(server.url(), Map.of(), cache);
    OrchestratorException e = assertThrows(OrchestratorException.class, anonymous::list);
    assertEquals(401, e.status());
    assertTrue(e.userError());
    assertTrue(e.getMessage().contains("no token was sent: set THAW_API_TOKEN"), e.getMessage());
    assertTrue(e.getMessage().contains(TokenRole.API.file(cache).toString()), e.getMessage());

    server.on(
        "GET",
        "/api/v1/schedules",
        403,
        "{\"error\": \"forbidden\", \"message\": \"the worker token cannot call it\"}");
    OrchestratorException wrong =
        assertThrows(
            OrchestratorException.class,
            () ->
                new OrchestratorClient(server.url(), Map.of("THAW_API_TOKEN", "w"), cache)
                    .schedules());
    assertEquals(403, wrong.status());
    assertTrue(
        wrong.getMessage().contains("the token from THAW_API_TOKEN is not the API token"),
        wrong.getMessage());
  }
}
