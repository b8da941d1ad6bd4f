package dev.thaw.mlflow;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import dev.thaw.worker.LearningCurvePlot;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Duration;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.EnabledIfEnvironmentVariable;
import org.junit.jupiter.api.io.TempDir;

/** Against the real MLflow server of {@code ./thaw test}, read back with MLflow's Python client. */
@EnabledIfEnvironmentVariable(named = MlflowTestServer.URI_ENV, matches = ".+")
class TrackerServerTest {
  private static final long T0 = 1_700_000_000_000L;
  @TempDir Path tmp;

  private TrackerConfig config(String spool) {
    return TrackerConfig.of(MlflowTestServer.sharedUri()).withSpoolDir(tmp.resolve(spool));
  }

  private static String sha256(Path file) throws IOException, NoSuchAlgorithmException {
    return HexFormat.of()
        .formatHex(MessageDigest.getInstance("SHA-256").digest(Files.readAllBytes(file)));
  }

  private static List<List<Double>> history(JsonNode run, String key) {
    return java.util.stream.StreamSupport.stream(run.get("metrics").get(key).spliterator(), false)
        .map(p -> List.of(p.get(0).asDouble(), p.get(1).asDouble(), p.get(2).asDouble()))
        .toList();
  }

  @Test
  void aSweepLandsAsNestedRunsWithParamsMetricHistoriesStatusesAndArtifacts() throws Exception {
    String experimentName = "thaw-test-" + UUID.randomUUID();
    Path png = tmp.resolve("learning-curve.png");
    LearningCurvePlot.write(
        "fd=2",
        List.of(
            new LearningCurvePlot.Epoch(1, 1.5, 1.4, 0.5),
            new LearningCurvePlot.Epoch(2, 1.0, 1.1, 0.6)),
        png);
    TrackedRun parent;
    TrackedRun first;
    TrackedRun second;
    try (Tracker tracker = Tracker.open(config("spool"))) {
      TrackedExperiment experiment = tracker.experiment(experimentName);
      parent = tracker.startRun(experiment, "sweep 2026-01-01", null, Map.of("thaw.sweep", "s1"));
      tracker.logParams(parent, Map.of("search", "grid", "max_trials", "2"));
      first = tracker.startRun(experiment, "fd=2 lr_head=3e-3", parent, Map.of("thaw.trial", "1"));
      second = tracker.startRun(experiment, "fd=1 lr_head=1e-3", parent, Map.of("thaw.trial", "2"));
      tracker.logParams(first, Map.of("freeze_depth", "2", "lr_head", "0.003"));
      for (int epoch = 1; epoch <= 3; epoch++) {
        tracker.logMetrics(
            first,
            Map.of("train_loss", 2.0 / epoch, "val_accuracy", 0.5 + epoch / 10.0),
            epoch,
            T0 + epoch);
      }
      tracker.uploadArtifact(first, "curves/learning-curve.png", png);
      tracker.endRun(first, RunStatus.FINISHED);
      tracker.logMetric(parent, "best_val_accuracy", 0.8, 1, T0 + 10);

      // Past MLflow's limits per request: 150 params (100 per batch), 2500 points (1000).
      Map<String, String> many = new LinkedHashMap<>();
      for (int i = 0; i < 150; i++) {
        many.put("p" + i, Integer.toString(i));
      }
      tracker.logParams(second, many);
      for (int step = 0; step < 2500; step++) {
        tracker.logMetric(second, "batch_loss", step / 1000.0, step, T0 + step);
      }
      tracker.setTags(second, Map.of("thaw.pruned", "true"));
      tracker.endRun(second, RunStatus.KILLED);
      tracker.endRun(parent, RunStatus.FINISHED);

      assertTrue(tracker.flush(Duration.ofSeconds(60)), "all sent within 60 s");
      assertEquals(0, tracker.pendingOperations());
    }
    String parentId = parent.serverId().orElseThrow();

    JsonNode runs =
        MlflowTestServer.readBack(
            MlflowTestServer.sharedUri(), experimentName, "curves/learning-curve.png");
    assertEquals(3, runs.size(), runs.toString());
    JsonNode p = MlflowTestServer.run(runs, "sweep 2026-01-01");
    JsonNode a = MlflowTestServer.run(runs, "fd=2 lr_head=3e-3");
    JsonNode b = MlflowTestServer.run(runs, "fd=1 lr_head=1e-3");

    assertEquals(parentId, p.get("id").asText());
    assertEquals(first.serverId().orElseThrow(), a.get("id").asText());
    assertEquals(parentId, a.get("tags").get("mlflow.parentRunId").asText());
    assertEquals(parentId, b.get("tags").get("mlflow.parentRunId").asText());
    assertTrue(p.get("tags").path("mlflow.parentRunId").isMissingNode(), "the parent is top-level");

    assertEquals("FINISHED", p.get("status").asText());
    assertEquals("FINISHED", a.get("status").asText());
    assertEquals("KILLED", b.get("status").asText());
    assertEquals("true", b.get("tags").get("thaw.pruned").asText());
    assertEquals("1", a.get("tags").get("thaw.trial").asText());

    assertEquals("grid", p.get("params").get("search").asText());
    assertEquals("0.003", a.get("params").get("lr_head").asText());
    assertEquals(150, b.get("params").size());
    assertEquals("149", b.get("params").get("p149").asText());

    assertEquals(
        List.of(
            List.of(1.0, (double) T0 + 1, 2.0),
            List.of(2.0, (double) T0 + 2, 1.0),
            List.of(3.0, (double) T0 + 3, 2.0 / 3)),
        history(a, "train_loss"));
    assertEquals(3, history(a, "val_accuracy").size());
    assertEquals(List.of(List.of(1.0, (double) T0 + 10, 0.8)), history(p, "best_val_accuracy"));
    List<List<Double>> batchLoss = history(b, "batch_loss");
    assertEquals(2500, batchLoss.size());
    assertEquals(
        2500, batchLoss.stream().map(point -> point.get(0)).distinct().count(), "each step once");

    assertEquals(sha256(png), a.get("artifacts").get("curves/learning-curve.png").asText());
  }

  @Test
  void aRequestWhoseReplyWasLostIsNotSentTwice() throws Exception {
    String experimentName = "thaw-test-" + UUID.randomUUID();
    TrackedRun run;
    try (Tracker tracker = Tracker.open(config("first"))) {
      run = tracker.startRun(tracker.experiment(experimentName), "trial", null, Map.of());
      for (int step = 1; step <= 5; step++) {
        tracker.logMetric(run, "val_loss", 1.0 / step, step, T0 + step);
      }
      assertTrue(tracker.flush(Duration.ofSeconds(30)));
    }
    // A spool as a process leaves it when it dies after the server took the run and five points
    // but before it recorded the replies: "sent up to 6", acknowledged nothing.
    Path spoolDir = tmp.resolve("crashed");
    try (Spool spool = Spool.open(spoolDir)) {
      spool.append(
          seq -> new SpoolOp.StartRun(seq, run.key(), experimentName, "trial", null, Map.of(), T0));
      for (int step = 1; step <= 7; step++) {
        int s = step;
        spool.append(seq -> new SpoolOp.LogMetric(seq, run.key(), "val_loss", 1.0 / s, s, T0 + s));
      }
      spool.append(seq -> new SpoolOp.EndRun(seq, run.key(), RunStatus.FINISHED, T0 + 100));
      spool.inflight(6);
    }
    try (Tracker tracker = Tracker.open(config("crashed"))) {
      assertEquals(9, tracker.pendingOperations());
      assertTrue(tracker.flush(Duration.ofSeconds(30)));
    }
    JsonNode runs = MlflowTestServer.readBack(MlflowTestServer.sharedUri(), experimentName);
    assertEquals(1, runs.size(), "the run was found by its key, not created again: " + runs);
    JsonNode trial = runs.get(0);
    assertEquals(run.serverId().orElseThrow(), trial.get("id").asText());
    List<List<Double>> points = history(trial, "val_loss");
    assertEquals(
        List.of(1.0, 2.0, 3.0, 4.0, 5.0, 6.0, 7.0),
        points.stream().map(point -> point.get(0)).sorted().toList(),
        "every step exactly once: " + points);
    assertEquals("FINISHED", trial.get("status").asText());
  }

  @Test
  void metricsLingerForCompanyAndAFlushSendsThemInOneRequest() throws Exception {
    String experimentName = "thaw-test-" + UUID.randomUUID();
    Path spoolDir = tmp.resolve("linger");
    TrackedRun run;
    try (Tracker tracker = Tracker.open(config("linger").withLinger(Duration.ofSeconds(60)))) {
      run = tracker.startRun(tracker.experiment(experimentName), "trial", null, Map.of());
      run.awaitServerId(Duration.ofSeconds(30)).orElseThrow();
      for (int epoch = 1; epoch <= 3; epoch++) {
        tracker.logMetrics(
            run, Map.of("val_loss", 1.0 / epoch, "train_loss", 2.0 / epoch), epoch, T0 + epoch);
        Thread.sleep(300);
      }
      assertEquals(6, tracker.pendingOperations(), "three epochs wait for company");
      long start = System.nanoTime();
      assertTrue(tracker.flush(Duration.ofSeconds(30)));
      assertTrue(
          System.nanoTime() - start < Duration.ofSeconds(20).toNanos(),
          "a flush does not wait out the linger");
      List<String> state = Files.readAllLines(spoolDir.resolve("state.jsonl"));
      assertEquals(
          2,
          state.stream().filter(line -> line.contains("\"inflight\"")).count(),
          "one request for the run's start, one for all three epochs: " + state);
    }
    JsonNode trial = MlflowTestServer.readBack(MlflowTestServer.sharedUri(), experimentName).get(0);
    assertEquals(3, history(trial, "val_loss").size());
    assertEquals(3, history(trial, "train_loss").size());
  }

  @Test
  void theEndOfARunQueuedBehindLingeringMetricsSendsThemAtOnce() throws Exception {
    try (Tracker tracker = Tracker.open(config("end").withLinger(Duration.ofSeconds(120)))) {
      TrackedRun run =
          tracker.startRun(
              tracker.experiment("thaw-test-" + UUID.randomUUID()), "trial", null, Map.of());
      tracker.logMetric(run, "val_loss", 0.5, 1, T0);
      tracker.endRun(run, RunStatus.FINISHED);
      long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
      while (tracker.pendingOperations() > 0 && System.nanoTime() < deadline) {
        Thread.sleep(50);
      }
      assertEquals(0, tracker.pendingOperations(), "sent long before the 120 s linger");
    }
  }
}
