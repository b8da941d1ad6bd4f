package dev.thaw.worker;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import org.junit.jupiter.api.Test;

/**
 * A worker's MLFLOW_TRACKING_TOKEN goes only to its MLFLOW_TRACKING_URI, whatever a lease names.
 */
class AttemptRunsTokenTest {
  @Test
  void theTokenGoesToTheConfiguredServerOnly() {
    String mine = "http://mlflow.internal:5000";
    assertEquals("t0k", TrackerPool.tokenFor("http://MLFLOW.internal:5000/", mine, "t0k"));
    assertNull(TrackerPool.tokenFor("http://127.0.0.1:18600", mine, "t0k"));
    assertNull(TrackerPool.tokenFor("https://mlflow.internal:5000", mine, "t0k"));
  }

  @Test
  void aTokenWithoutItsServerGoesNowhere() {
    assertNull(TrackerPool.tokenFor("http://mlflow.internal:5000", null, "t0k"));
    assertNull(TrackerPool.tokenFor("http://mlflow.internal:5000", " ", "t0k"));
    assertNull(TrackerPool.tokenFor("http://mlflow.internal:5000", "http://x:1", null));
  }
}
