package dev.thaw.cli;

import static dev.thaw.cli.SweepCommandsTest.thaw;
import static dev.thaw.cli.SweepCommandsTest.thawAgainst;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.thaw.cli.SweepCommandsTest.Run;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code thaw sweep submit|status|leaderboard|cancel} as a user runs them, against a {@link
 * StandInOrchestrator} (canned JSON, no sweeps run). Output is not a terminal here, so progress
 * comes one line per change.
 */
class SweepClientCommandsTest {
  static final Path QUICKSTART = SweepCommandsTest.CONFIGS.resolve("quickstart.yaml");
  static final String ID = "5f0c2a9e-1111-4c3b-9a7e-000000000001";
  static final String OTHER = "5f0d7b10-2222-4c3b-9a7e-000000000002";
  static final String PARAMS_1 = "{\"freeze_depth\": 1, \"lr_head\": 0.001, \"epochs\": 4}";
  static final String PARAMS_2 = "{\"freeze_depth\": 2, \"lr_head\": 0.003, \"epochs\": 4}";

  StandInOrchestrator server;

  @BeforeEach
  void start() throws Exception {
    server = new StandInOrchestrator();
    server.on(
        "GET",
        "/api/v1/sweeps",
        200,
        CannedJson.array(
            CannedJson.running(ID, "quickstart", 6, new int[] {4, 2, 0, 0, 0, 0}),
            CannedJson.summary(
                OTHER,
                "nightly",
                "completed",
                2,
                new int[] {0, 0, 2, 0, 0, 0},
                CannedJson.trial(1, "completed", 1, 4, 0.93, PARAMS_2),
                "all 2 trials ended")));
  }

  @AfterEach
  void stop() {
    server.close();
  }

  Run sweep(String... args) {
    return thawAgainst(server, "sweep", args);
  }

  @Test
  void submitValidatesSendsTheFileAndPrintsTheId() throws Exception {
    server.on(
        "POST",
        "/api/v1/sweeps",
        201,
        CannedJson.running(ID, "quickstart", 6, new int[] {2, 0, 0, 0, 0, 0}));
    Run run = sweep("submit", "--groups", "9", QUICKSTART.toString());
    assertEquals(0, run.exitCode(), run.out());
    assertEquals(
        List.of(
            "submitted sweep " + ID + " to " + server.url(),
            "quickstart: grid, max_trials 6, parallel 2, maximize val_accuracy; running (queued 2,"
                + " running 0)"),
        run.lines());
    StandInOrchestrator.Request post = server.requests().get(0);
    assertEquals("origin=quickstart.yaml", post.query());
    assertEquals(Files.readString(QUICKSTART), post.body());
  }

  @Test
  void submitOfAnInvalidFileSendsNothingAndExits2(@TempDir Path dir) throws Exception {
    Path bad = dir.resolve("bad.yaml");
    Files.writeString(bad, Files.readString(QUICKSTART).replace("method: grid", "method: gird"));
    Run run = sweep("submit", "--groups", "9", bad.toString());
    assertEquals(2, run.exitCode(), run.out());
    assertTrue(run.out().contains(bad + ":"), run.out());
    assertTrue(run.out().contains("method"), run.out());
    assertTrue(run.out().contains("invalid; nothing sent"), run.out());
    assertTrue(server.requests().isEmpty(), "nothing may reach the orchestrator");
  }

  @Test
  void submitRefusedByTheOrchestratorPrintsEveryDetailAndExits2() {
    server.on(
        "POST",
        "/api/v1/sweeps",
        400,
        CannedJson.apiError(
            "invalid_sweep",
            "invalid sweep file quickstart.yaml (2 errors):",
            "parameters.freeze_depth: must be <= 3 (got 4) (line 5, column 3)",
            "task.source_model: no such model (line 10, column 17)"));
    Run run = sweep("submit", "--no-validate", QUICKSTART.toString());
    assertEquals(2, run.exitCode(), run.out());
    assertEquals(
        List.of(
            QUICKSTART + ": refused by the orchestrator at " + server.url() + ":",
            "POST "
                + server.url()
                + "/api/v1/sweeps?origin=quickstart.yaml: 400 invalid_sweep: invalid sweep file"
                + " quickstart.yaml (2 errors):",
            "  - parameters.freeze_depth: must be <= 3 (got 4) (line 5, column 3)",
            "  - task.source_model: no such model (line 10, column 17)"),
        run.lines());
  }

  @Test
  void anUnreachableOrchestratorIsAUserErrorNamingTheUrl() throws Exception {
    int port;
    try (ServerSocket socket = new ServerSocket(0)) {
      port = socket.getLocalPort();
    }
    Run run = thaw("sweep", "--orchestrator", "http://127.0.0.1:" + port, "status");
    assertEquals(2, run.exitCode(), run.out());
    assertTrue(
        run.out()
            .startsWith(
                "error: cannot reach the orchestrator: GET http://127.0.0.1:"
                    + port
                    + "/api/v1/sweeps failed (connection refused)"),
        run.out());
    assertTrue(run.out().contains("--orchestrator or THAW_ORCHESTRATOR"), run.out());
  }

  @Test
  void statusWithoutIdListsEverySweep() {
    Run run = sweep("status");
    assertEquals(0, run.exitCode(), run.out());
    assertEquals(
        List.of(
            "id        name        state      method  trials  best",
            "5f0c2a9e  quickstart  running    grid       0/6  -",
            "5f0d7b10  nightly     completed  grid       2/2  val_accuracy 0.93"),
        run.lines());
  }

  @Test
  void statusAcceptsAUniqueIdPrefix() {
    server.on(
        "GET",
        "/api/v1/sweeps/" + ID,
        200,
        CannedJson.detail(
            CannedJson.running(ID, "quickstart", 6, new int[] {1, 1, 0, 0, 0, 0}),
            CannedJson.trial(1, "running", 1, 2, null, PARAMS_1),
            CannedJson.trial(2, "queued", 0, 0, null, PARAMS_2)));
    Run run = sweep("status", "5f0c");
    assertEquals(0, run.exitCode(), run.out());
    assertEquals(
        "sweep " + ID + "  quickstart  running  grid  maximize val_accuracy", run.lines().get(0));
    assertTrue(run.out().contains("fixed: epochs=4"), run.out());
    assertTrue(
        run.lines().stream()
            .anyMatch(l -> l.matches("1  running +1 +2 +-  freeze_depth=1 lr_head=0.001")),
        run.out());
  }

  @Test
  void anAmbiguousOrUnknownPrefixIsAUserError() {
    Run ambiguous = sweep("status", "5f0");
    assertEquals(2, ambiguous.exitCode(), ambiguous.out());
    assertTrue(
        ambiguous
            .out()
            .startsWith(
                "error: sweep id '5f0' is ambiguous: 2 sweeps match (" + ID + " quickstart, "),
        ambiguous.out());
    Run unknown = sweep("leaderboard", "beef");
    assertEquals(2, unknown.exitCode(), unknown.out());
    assertEquals(
        "error: no sweep id starts with 'beef' at "
            + server.url()
            + " (2 sweeps; 'thaw sweep status' lists them)",
        unknown.out().strip());
    assertEquals(0, server.count("GET", "/api/v1/sweeps/beef/leaderboard"));
  }

  @Test
  void statusWatchPollsUntilTheSweepCompletesAndExits0() {
    String trial1 = CannedJson.trial(1, "completed", 1, 4, 0.9, PARAMS_1);
    String trial2 = CannedJson.trial(2, "completed", 1, 4, 0.95, PARAMS_2);
    server.on(
        "GET",
        "/api/v1/sweeps/" + ID,
        200,
        CannedJson.detail(CannedJson.running(ID, "quickstart", 2, new int[] {1, 1, 0, 0, 0, 0})),
        CannedJson.detail(
            CannedJson.summary(
                ID, "quickstart", "running", 2, new int[] {0, 1, 1, 0, 0, 0}, trial1, null),
            trial1),
        CannedJson.detail(
            CannedJson.summary(
                ID,
                "quickstart",
                "completed",
                2,
                new int[] {0, 0, 2, 0, 0, 0},
                trial2,
                "all 2 trials ended"),
            trial1,
            trial2));
    Run run = sweep("status", ID, "--watch", "--interval", "0.01");
    assertEquals(0, run.exitCode(), run.out());
    List<String> lines = run.lines();
    assertEquals(
        "[....................] 0/2  running 1  queued 1  pruned 0  failed 0", lines.get(0));
    assertEquals(
        "[##########..........] 1/2  running 1  queued 0  pruned 0  failed 0"
            + "  best val_accuracy 0.9 (#1)",
        lines.get(1));
    assertEquals(
        "[####################] 2/2  running 0  queued 0  pruned 0  failed 0"
            + "  best val_accuracy 0.95 (#2)  completed: all 2 trials ended",
        lines.get(2));
    assertEquals(
        "sweep " + ID + "  quickstart  completed  grid  maximize val_accuracy", lines.get(3));
    assertFalse(run.out().contains("\r"), "no carriage returns without a terminal");
    assertEquals(4, server.count("GET", "/api/v1/sweeps/" + ID), "3 polls and the final table");
  }

  @Test
  void submitWatchFollowsToTheEndPrintsTheLeaderboardAndExits1WhenCancelled() {
    String trial1 = CannedJson.trial(1, "completed", 1, 4, 0.9, PARAMS_1);
    server
        .on(
            "POST",
            "/api/v1/sweeps",
            201,
            CannedJson.running(ID, "quickstart", 6, new int[] {2, 0, 0, 0, 0, 0}))
        .on(
            "GET",
            "/api/v1/sweeps/" + ID,
            200,
            CannedJson.detail(
                CannedJson.summary(
                    ID,
                    "quickstart",
                    "cancelled",
                    6,
                    new int[] {0, 0, 1, 0, 0, 5},
                    trial1,
                    "cancelled by a user"),
                trial1))
        .on(
            "GET",
            "/api/v1/sweeps/" + ID + "/leaderboard",
            200,
            CannedJson.leaderboard(ID, trial1));
    Run run =
        sweep("submit", "--groups", "9", "--watch", "--interval", "0.01", QUICKSTART.toString());
    assertEquals(1, run.exitCode(), run.out());
    assertTrue(run.out().contains("  cancelled: cancelled by a user"), run.out());
    assertTrue(
        run.out().contains("leaderboard of sweep " + ID + ": maximize val_accuracy, 1 trial"),
        run.out());
    assertTrue(
        run.lines()
            .get(run.lines().size() - 1)
            .matches(" +1 +1 +completed +0.9 +epochs=4 freeze_depth=1 lr_head=0.001"),
        run.out());
  }

  @Test
  void cancelPrintsTheResultingSummaryAndTheOptionWorksBeforeTheSubcommand() {
    server.on(
        "POST",
        "/api/v1/sweeps/" + ID + "/cancel",
        200,
        CannedJson.summary(
            ID,
            "quickstart",
            "cancelled",
            6,
            new int[] {0, 0, 0, 0, 0, 6},
            null,
            "cancelled by a user"));
    Run run = thaw("sweep", "--orchestrator", server.url(), "cancel", "5f0c2");
    assertEquals(0, run.exitCode(), run.out());
    assertEquals(
        List.of(
            "sweep " + ID,
            "quickstart: grid, max_trials 6, parallel 2, maximize val_accuracy; cancelled"
                + " (cancelled by a user)"),
        run.lines());
  }

  @Test
  void watchWithoutAnIdAndABadIntervalAreUserErrors() {
    assertEquals(2, sweep("status", "--watch").exitCode());
    Run run = sweep("status", ID, "--watch", "--interval", "0");
    assertEquals(2, run.exitCode());
    assertEquals("error: --interval must be > 0 seconds (got 0.0)", run.out().strip());
  }
}
