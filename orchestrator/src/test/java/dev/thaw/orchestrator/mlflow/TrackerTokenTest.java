package dev.thaw.orchestrator.mlflow;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.sun.net.httpserver.HttpServer;
import dev.thaw.mlflow.Tracker;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The orchestrator's MLflow token goes to the server it was configured for and to no other, even
 * one a sweep may name: two listeners stand in for the servers and record what they are sent.
 */
class TrackerTokenTest {
  private final List<HttpServer> servers = new CopyOnWriteArrayList<>();

  @AfterEach
  void stop() {
    servers.forEach(s -> s.stop(0));
  }

  /** A listener that answers every call with an empty JSON object and records Authorization. */
  private String listener(List<String> seen) throws Exception {
    HttpServer server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
    server.createContext(
        "/",
        exchange -> {
          String auth = exchange.getRequestHeaders().getFirst("Authorization");
          seen.add(auth == null ? "none" : auth);
          byte[] body =
              "{\"experiment\": {\"experiment_id\": \"1\"}, \"runs\": []}"
                  .getBytes(StandardCharsets.UTF_8);
          exchange.getRequestBody().readAllBytes();
          exchange.getResponseHeaders().add("Content-Type", "application/json");
          exchange.sendResponseHeaders(200, body.length);
          exchange.getResponseBody().write(body);
          exchange.close();
        });
    server.start();
    servers.add(server);
    return "http://127.0.0.1:" + server.getAddress().getPort();
  }

  private static MlflowSettings settings(String uri, String token, Path spool) {
    return new MlflowSettings() {
      @Override
      public Optional<String> trackingUri() {
        return Optional.of(uri);
      }

      @Override
      public Optional<String> token() {
        return Optional.of(token);
      }

      @Override
      public Optional<List<String>> allowedUris() {
        return Optional.empty();
      }

      @Override
      public Optional<String> spoolDir() {
        return Optional.of(spool.toString());
      }

      @Override
      public Duration parentWait() {
        return Duration.ofSeconds(1);
      }
    };
  }

  @Test
  void theTokenGoesOnlyToItsOwnServer(@TempDir Path spool) throws Exception {
    List<String> configuredSaw = new CopyOnWriteArrayList<>();
    List<String> otherSaw = new CopyOnWriteArrayList<>();
    String configured = listener(configuredSaw);
    String other = listener(otherSaw);
    Trackers trackers = new Trackers(settings(configured + "/", "s3cret", spool));
    try {
      // Another spelling of the configured server is the same server.
      assertEquals("s3cret", trackers.tokenFor(configured.replace("http:", "HTTP:")));
      assertNull(trackers.tokenFor(other));
      assertNull(trackers.tokenFor(configured.replace("127.0.0.1", "localhost")));

      for (String uri : List.of(configured, other)) {
        Tracker t = trackers.forUri(uri);
        t.searchRuns(t.experiment("token-test"), "tags.thaw = 'x'");
      }
      assertTrue(!configuredSaw.isEmpty() && !otherSaw.isEmpty(), "both were called");
      assertTrue(configuredSaw.stream().allMatch("Bearer s3cret"::equals), configuredSaw::toString);
      assertTrue(otherSaw.stream().allMatch("none"::equals), otherSaw::toString);
    } finally {
      trackers.close();
    }
  }
}
