package dev.thaw.cli;

import static dev.thaw.cli.SweepCommandsTest.thawAgainst;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.thaw.cli.SweepCommandsTest.Run;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * {@code thaw schedule list|pause|trigger|report} as a user runs them, against a {@link
 * StandInOrchestrator} (canned JSON in the orchestrator's shapes; the real schedules are tested in
 * the orchestrator module).
 */
class ScheduleCommandsTest {
  static final String SCHEDULE =
      """
      {"id": "s1", "name": "nightly", "cron": "0 0 2 * * ?", "time_zone": "Europe/Berlin",
       "overlap": "skip", "warm_start": 3, "regression_threshold": 0.01, "paused": %s,
       "origin": "nightly.yaml", "next_fire_at": "2026-11-24T01:00:00Z", "executions": 2,
       "last_firing": {"id": "f2", "fired_at": "2026-11-23T01:00:00Z", "outcome": "started",
         "sweep_id": "sw2", "execution": 2},
       "created_at": "2026-11-20T10:00:00Z"}
      """;

  StandInOrchestrator server;

  @BeforeEach
  void start() throws Exception {
    server = new StandInOrchestrator();
  }

  @AfterEach
  void stop() {
    server.close();
  }

  Run schedule(String... args) {
    return thawAgainst(server, "schedule", args);
  }

  static String report(boolean regression, double best, double previous) {
    return """
        {"schedule_id": "s1", "name": "nightly", "execution": 2, "sweep_id": "sw2",
         "state": "completed", "objective": {"metric": "val_accuracy", "goal": "maximize"},
         "best": %s, "previous_execution": 1, "previous_sweep_id": "sw1", "previous_best": %s,
         "change": %s, "regression": %s, "regression_threshold": 0.01,
         "warm_starts": [%s],
         "summary": "nightly #2: best val_accuracy %s vs %s"}
        """
        .formatted(
            CannedJson.trial(1, "completed", 1, 4, best, "{\"freeze_depth\": 1}"),
            CannedJson.trial(0, "completed", 1, 4, previous, "{\"freeze_depth\": 2}"),
            best - previous,
            regression,
            CannedJson.trial(0, "completed", 1, 4, best - 0.01, "{\"freeze_depth\": 2}"),
            best,
            previous);
  }

  @Test
  void listShowsEverySchedule() {
    server.on("GET", "/api/v1/schedules", 200, "[" + SCHEDULE.formatted("false") + "]");
    Run run = schedule("list");
    assertEquals(0, run.exitCode(), run.out());
    assertTrue(run.lines().get(0).startsWith("name"), run.out());
    String row = run.lines().get(1);
    for (String cell :
        List.of("nightly", "0 0 2 * * ?", "Europe/Berlin", "skip", "active", "started #2")) {
      assertTrue(row.contains(cell), cell + " in: " + row);
    }
  }

  @Test
  void pauseAsksTheOrchestratorByName() {
    server.on("POST", "/api/v1/schedules/nightly/pause", 200, SCHEDULE.formatted("true"));
    Run run = schedule("pause", "nightly");
    assertEquals(0, run.exitCode(), run.out());
    assertEquals(List.of("schedule nightly paused"), run.lines());
    assertEquals("/api/v1/schedules/nightly/pause", server.requests().get(0).path());
  }

  @Test
  void reportExits3OnARegressionAnd0Otherwise() {
    // The stand-in answers a route's replies in order: first a regression, then an improvement.
    server.on("GET", "/api/v1/schedules/nightly/report", 200, report(true, 0.8, 0.9));
    server.on("GET", "/api/v1/schedules/nightly/report", 200, report(false, 0.92, 0.9));
    Run worse = schedule("report", "nightly");
    assertEquals(3, worse.exitCode(), worse.out());
    assertTrue(worse.out().contains("best:     0.8 (trial #1 completed"), worse.out());
    assertTrue(worse.out().contains("previous: 0.9 (trial #0 completed"), worse.out());
    assertTrue(worse.out().contains("(execution #1)"), worse.out());
    assertTrue(worse.out().contains("warm start: "), worse.out());

    Run better = schedule("report", "nightly");
    assertEquals(0, better.exitCode(), better.out());
  }

  @Test
  void anUnknownScheduleIsAnErrorNamingIt() {
    Run run = schedule("trigger", "nope");
    assertTrue(run.exitCode() != 0, run.out());
    assertTrue(run.out().contains("/api/v1/schedules/nope/trigger"), run.out());
  }
}
