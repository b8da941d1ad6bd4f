package dev.thaw.mlflow;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.Test;

class DisabledTrackerTest {
  @Test
  void aDisabledTrackerTakesEveryCallAndTracksNothing() throws InterruptedException {
    try (Tracker tracker = Tracker.disabled()) {
      assertFalse(tracker.enabled());
      TrackedRun run = tracker.startRun(tracker.experiment("e"), "trial", null, Map.of());
      tracker.logMetric(run, "loss", 1.0, 1, 0);
      tracker.endRun(run, RunStatus.FINISHED);
      assertTrue(run.awaitServerId(Duration.ofMillis(10)).isEmpty());
      assertTrue(tracker.flush(Duration.ZERO));
      assertEquals(0, tracker.pendingOperations());
    }
  }

  @Test
  void aTrackingUriMustBeAnHttpServer() {
    IllegalArgumentException e =
        assertThrows(IllegalArgumentException.class, () -> TrackerConfig.of("file:///tmp/mlruns"));
    assertTrue(
        e.getMessage().contains("not an http:// or https:// server address"), e.getMessage());
    assertEquals("http://h:5000", TrackerConfig.of(" http://h:5000/ ").trackingUri().toString());
  }
}
