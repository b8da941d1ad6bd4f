package dev.thaw.mlflow;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.EnabledIfEnvironmentVariable;
import org.junit.jupiter.api.io.TempDir;

/**
 * A server of its own (scripts/mlflow-server), killed and restarted on the same store and port
 * while the tracker keeps logging.
 */
@EnabledIfEnvironmentVariable(named = MlflowTestServer.URI_ENV, matches = ".+")
class TrackerOutageTest {
  private static final long T0 = 1_700_000_000_000L;
  private static Path serverDir;
  private static String uri;
  private static boolean up;

  @TempDir Path tmp;

  @BeforeAll
  static void startServer() throws Exception {
    serverDir = Files.createTempDirectory("thaw-mlflow-outage").resolve("server");
    uri = MlflowTestServer.start(serverDir);
    up = true;
  }

  @AfterAll
  static void removeServer() throws Exception {
    if (serverDir != null) {
      MlflowTestServer.remove(serverDir);
      Files.deleteIfExists(serverDir.getParent());
    }
  }

  private static void kill() throws Exception {
    MlflowTestServer.kill(serverDir);
    up = false;
  }

  private static void restart() throws Exception {
    assertEquals(uri, MlflowTestServer.start(serverDir), "same port after a restart");
    up = true;
  }

  private TrackerConfig config(String spool) {
    return TrackerConfig.of(uri)
        .withSpoolDir(tmp.resolve(spool))
        .withRequestTimeout(Duration.ofSeconds(5))
        .withRetry(Duration.ofMillis(100), Duration.ofSeconds(1));
  }

  private static List<Double> steps(JsonNode run, String key) {
    List<Double> steps = new ArrayList<>();
    run.get("metrics").get(key).forEach(point -> steps.add(point.get(0).asDouble()));
    steps.sort(null);
    return steps;
  }

  private static List<Double> range(int n) {
    List<Double> out = new ArrayList<>();
    for (int i = 0; i < n; i++) {
      out.add((double) i);
    }
    return out;
  }

  @Test
  void everyMetricArrivesExactlyOnceWhenTheServerDiesMidLoggingAndComesBack() throws Exception {
    if (!up) {
      restart();
    }
    String experimentName = "thaw-outage-" + UUID.randomUUID();
    int points = 150;
    try (Tracker tracker = Tracker.open(config("spool"))) {
      TrackedRun run =
          tracker.startRun(tracker.experiment(experimentName), "trial", null, Map.of());
      tracker.logParams(run, Map.of("lr_head", "0.003"));
      Thread logger =
          new Thread(
              () -> {
                for (int step = 0; step < points; step++) {
                  long start = System.nanoTime();
                  tracker.logMetrics(
                      run,
                      Map.of("train_loss", 1.0 / (step + 1), "epoch_seconds", 0.01),
                      step,
                      T0 + step);
                  // The caller never waits for the network, whatever the server does.
                  assertTrue(System.nanoTime() - start < 200_000_000L, "logging blocked");
                  try {
                    Thread.sleep(20);
                  } catch (InterruptedException e) {
                    return;
                  }
                }
              });
      logger.start();
      Thread.sleep(1000);
      kill();
      logger.join();
      tracker.endRun(run, RunStatus.FINISHED);
      assertFalse(
          tracker.flush(Duration.ofMillis(500)), "nothing goes out while the server is down");
      assertTrue(tracker.pendingOperations() > 0);

      restart();
      assertTrue(tracker.flush(Duration.ofSeconds(60)), "the spool drains once the server is back");
    }
    JsonNode runs = MlflowTestServer.readBack(uri, experimentName);
    assertEquals(1, runs.size(), runs.toString());
    JsonNode run = runs.get(0);
    assertEquals(range(points), steps(run, "train_loss"), "each point exactly once");
    assertEquals(range(points), steps(run, "epoch_seconds"), "each point exactly once");
    assertEquals("0.003", run.get("params").get("lr_head").asText());
    assertEquals("FINISHED", run.get("status").asText());
  }

  @Test
  void aTrackerOnTheSpoolOfAClosedOneSendsWhatWasLeft() throws Exception {
    if (up) {
      kill();
    }
    String experimentName = "thaw-resume-" + UUID.randomUUID();
    Path artifact = tmp.resolve("trial.json");
    Files.writeString(artifact, "{\"freeze_depth\": 2}");
    TrackedRun run;
    Tracker first = Tracker.open(config("spool").withCloseTimeout(Duration.ofMillis(500)));
    run = first.startRun(first.experiment(experimentName), "trial", null, Map.of("attempt", "1"));
    first.logParams(run, Map.of("freeze_depth", "2"));
    for (int step = 0; step < 20; step++) {
      first.logMetric(run, "val_loss", 1.0 / (step + 1), step, T0 + step);
    }
    first.uploadArtifact(run, "trial.json", artifact);
    Files.delete(artifact); // the spool has its own copy
    first.endRun(run, RunStatus.FAILED);
    first.close();
    assertTrue(run.serverId().isEmpty(), "never reached the server");
    assertTrue(Files.exists(tmp.resolve("spool/journal.jsonl")), "the spool is kept");

    restart();
    try (Tracker second = Tracker.open(config("spool"))) {
      assertEquals(
          1 + 1 + 20 + 1 + 1, second.pendingOperations(), "start, param, 20 points, artifact, end");
      assertTrue(second.flush(Duration.ofSeconds(60)));
    }
    assertFalse(Files.exists(tmp.resolve("spool")), "a drained spool is removed");
    JsonNode runs = MlflowTestServer.readBack(uri, experimentName, "trial.json");
    assertEquals(1, runs.size(), runs.toString());
    JsonNode trial = runs.get(0);
    assertEquals(range(20), steps(trial, "val_loss"));
    assertEquals("2", trial.get("params").get("freeze_depth").asText());
    assertEquals("1", trial.get("tags").get("attempt").asText());
    assertEquals("FAILED", trial.get("status").asText());
    assertTrue(trial.get("artifacts").has("trial.json"), "artifact uploaded: " + trial);
  }
}
