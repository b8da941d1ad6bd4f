package dev.thaw.mlflow;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

class TrackingServerTest {
  @Test
  void spellingsOfOneServerAreOneServer() {
    TrackingServer s = TrackingServer.of("http://mlflow.example:80/");
    assertEquals(new TrackingServer("http", "mlflow.example", 80, ""), s);
    assertTrue(s.is("HTTP://MLflow.Example"));
    assertTrue(TrackingServer.of("https://m.example/base//").is("https://m.example:443/base"));
  }

  @Test
  void anotherHostPortSchemeOrPathIsAnotherServer() {
    TrackingServer s = TrackingServer.of("http://127.0.0.1:5000");
    assertFalse(s.is("http://127.0.0.1:5001"));
    assertFalse(s.is("http://localhost:5000"));
    assertFalse(s.is("https://127.0.0.1:5000"));
    assertFalse(s.is("http://127.0.0.1:5000/other"));
    assertFalse(s.is("file:///tmp/mlruns"));
    assertFalse(s.is("not a uri at all"));
  }

  @Test
  void onlyHttpServersAreServers() {
    IllegalArgumentException e =
        assertThrows(IllegalArgumentException.class, () -> TrackingServer.of("file:///tmp/x"));
    assertTrue(e.getMessage().contains("not an http:// or https:// server address"));
  }
}
