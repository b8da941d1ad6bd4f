package dev.thaw.worker;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import dev.thaw.mlflow.MlflowTestServer;
import dev.thaw.mlflow.RunStatus;
import dev.thaw.mlflow.TrackedRun;
import dev.thaw.mlflow.Tracker;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.UUID;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.EnabledIfEnvironmentVariable;
import org.junit.jupiter.api.io.TempDir;

/**
 * What a worker spooled while its MLflow server was down reaches the server when the next worker
 * with its id starts, not only once that worker leases another trial tracked there (./thaw bench
 * chaos found runs and metrics missing when the replacement of a killed worker got no more trials).
 * A real MLflow server, down and then up again on the same port.
 */
@EnabledIfEnvironmentVariable(named = MlflowTestServer.URI_ENV, matches = ".+")
class TrackerPoolLeftoversTest {

  @Test
  void aLaterWorkerSendsWhatAnEarlierOneLeftInItsSpool(@TempDir Path root) throws Exception {
    Path serverDir = Files.createTempDirectory("thaw-mlflow-leftover").resolve("server");
    try {
      String uri = MlflowTestServer.start(serverDir);
      MlflowTestServer.kill(serverDir);
      String experiment = "thaw-leftover-" + UUID.randomUUID();

      TrackerPool first = new TrackerPool(root);
      Tracker tracker = first.tracker(uri);
      TrackedRun run = tracker.startRun(tracker.experiment(experiment), "left", null, Map.of());
      tracker.logMetrics(run, Map.of("val_accuracy", 0.5), 1, 1_700_000_000_000L);
      tracker.endRun(run, RunStatus.FINISHED);
      first.close(); // the server is down: everything stays in the spool
      try (Stream<Path> left = Files.list(root)) {
        assertTrue(
            left.anyMatch(p -> p.getFileName().toString().endsWith(TrackerPool.SERVER_SUFFIX)),
            "the spool's server is noted beside it");
      }

      assertEquals(uri, MlflowTestServer.start(serverDir), "same port");
      TrackerPool second = new TrackerPool(root);
      second.resumeLeftovers();
      second.close(); // waits for the spool to drain

      JsonNode runs = MlflowTestServer.readBack(uri, experiment);
      assertEquals(1, runs.size(), runs::toString);
      assertEquals("FINISHED", runs.get(0).get("status").asText());
      assertEquals(1, runs.get(0).get("metrics").get("val_accuracy").size(), runs::toString);
    } finally {
      MlflowTestServer.remove(serverDir);
      Files.deleteIfExists(serverDir.getParent());
    }
  }
}
