package dev.thaw.worker;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import dev.thaw.mlflow.MlflowTestServer;
import dev.thaw.protocol.Lease;
import dev.thaw.protocol.LeaseRequest;
import dev.thaw.protocol.MlflowTracking;
import dev.thaw.trial.TrialSpec;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.util.HexFormat;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.EnabledIfEnvironmentVariable;
import org.junit.jupiter.api.io.TempDir;

/** The run names and flat params a trial attempt gets in MLflow. */
class AttemptRunsTest {
  private static final TrialSpec SPEC =
      TrialSpec.fromJson(
          """
          {"id": "t-1", "source_model": "scratch:thaw-cnn-w4",
           "target": {"dataset": "mnist[0-2]", "split_seed": 7},
           "freeze_depth": 2, "learning_rates": {"head": 0.003, "backbone": [1e-4, 2e-4]},
           "batch_size": 64, "dropout": 0.2, "epochs": 3, "seed": 8}
          """,
          "test");

  @Test
  void theRunNameShowsTheComparedValuesShort() {
    assertEquals("fd=2 lr_head=3e-3 bs=64 do=0.2", TrialRunFields.runName(SPEC));
  }

  @Test
  void everyResolvedHyperparameterIsAFlatParam() {
    Map<String, String> params = TrialRunFields.params(SPEC);
    assertEquals("2", params.get("freeze_depth"));
    assertEquals("0.003", params.get("lr_head"));
    assertEquals("1.0E-4", params.get("lr_backbone_g0"));
    assertEquals("2.0E-4", params.get("lr_backbone_g1"));
    assertEquals("64", params.get("batch_size"));
    assertEquals("0.2", params.get("dropout"));
    assertEquals("3", params.get("epochs"));
    assertEquals("8", params.get("seed"));
    assertEquals("mnist[0-2]", params.get("dataset"));
  }

  @Test
  void theUlmfitKeysAndTableColumnsAreParamsToo() {
    TrialSpec ulmfit =
        SPEC.toBuilder()
            .target(
                dev.thaw.trial.TargetSpec.of("csv:/data/r.csv")
                    .withMaxLength(64)
                    .withColumns("body", "stars"))
            .learningRates(
                new dev.thaw.trial.LearningRates(
                    2e-3, new dev.thaw.trial.BackboneLearningRates.Decay(2.6, null)))
            .unfreezeEvery(2)
            .lrSchedule(dev.thaw.trial.LrSchedule.STLR)
            .build();
    Map<String, String> params = TrialRunFields.params(ulmfit);
    assertEquals("2.6", params.get("lr_backbone_decay"));
    assertEquals(null, params.get("lr_backbone_top"));
    assertEquals("2", params.get("unfreeze_every"));
    assertEquals("stlr", params.get("lr_schedule"));
    assertEquals("64", params.get("max_length"));
    assertEquals("body", params.get("text_column"));
    assertEquals("stars", params.get("label_column"));
    assertEquals("constant", TrialRunFields.params(SPEC).get("lr_schedule"));
    assertEquals(null, TrialRunFields.params(SPEC).get("unfreeze_every"));
  }

  @Test
  @EnabledIfEnvironmentVariable(named = MlflowTestServer.URI_ENV, matches = ".+")
  void theResolvedTrialIsAnArtifactWhileItsRunIsStillRunning(@TempDir Path tmp) throws Exception {
    String uri = MlflowTestServer.sharedUri();
    String experiment = "thaw-test-" + UUID.randomUUID();
    Lease lease =
        new Lease(
            "lease-1",
            "t-1",
            1,
            "sweep-1",
            experiment,
            null,
            SPEC,
            60,
            10,
            new MlflowTracking(uri, experiment, null));
    String expected =
        HexFormat.of()
            .formatHex(
                MessageDigest.getInstance("SHA-256")
                    .digest(SPEC.toJson().getBytes(StandardCharsets.UTF_8)));
    try (AttemptRuns tracking =
        new AttemptRuns(new LeaseRequest("w-1", "host-1", "cpu"), tmp.resolve("spool"))) {
      AttemptRun attempt = tracking.begin(lease, SPEC);
      JsonNode run = null;
      for (int i = 0; i < 30 && run == null; i++) {
        JsonNode runs = MlflowTestServer.readBack(uri, experiment, "trial.json");
        if (runs.size() == 1 && runs.get(0).get("artifacts").has("trial.json")) {
          run = runs.get(0);
        } else {
          Thread.sleep(500);
        }
      }
      assertTrue(run != null, "trial.json never appeared on the running run");
      assertEquals("RUNNING", run.get("status").asText(), run.toString());
      assertEquals(expected, run.get("artifacts").get("trial.json").asText());
      attempt.end(TrialOutcome.COMPLETED, null, null);
    }
    JsonNode ended = MlflowTestServer.readBack(uri, experiment, "trial.json").get(0);
    assertEquals("FINISHED", ended.get("status").asText(), ended.toString());
    assertEquals(expected, ended.get("artifacts").get("trial.json").asText());
  }
}
