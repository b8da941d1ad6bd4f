package dev.thaw.worker;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.thaw.trial.TrialSpec;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The run names and flat params a trial attempt gets in MLflow. */
class TrialTrackingTest {
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
    assertEquals("fd=2 lr_head=3e-3 bs=64 do=0.2", TrialTracking.runName(SPEC));
  }

  @Test
  void everyResolvedHyperparameterIsAFlatParam() {
    Map<String, String> params = TrialTracking.params(SPEC);
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
}
