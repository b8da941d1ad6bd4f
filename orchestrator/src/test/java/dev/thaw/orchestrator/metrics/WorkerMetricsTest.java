package dev.thaw.orchestrator.metrics;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.thaw.orchestrator.leases.LeaseSettings;
import dev.thaw.protocol.Heartbeat;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;

/** The worker label stays bounded, and a worker's figures are those of its latest heartbeat. */
class WorkerMetricsTest {
  private final SimpleMeterRegistry registry = new SimpleMeterRegistry();

  @Test
  void atMostMaxWorkersHaveSeriesTheLeastRecentlyHeardGoesFirst() {
    WorkerMetrics metrics =
        new WorkerMetrics(registry, settings(3, Duration.ofMinutes(10)), lease());
    metrics.heard("w1");
    metrics.heard("w2");
    metrics.heard("w3");
    metrics.heard("w1"); // heard again: now w2 is the least recent
    metrics.heard("w4");
    assertEquals(Set.of("w1", "w3", "w4"), labelled("thaw.worker.heartbeat.age"));
    assertEquals(Set.of("w1", "w3", "w4"), labelled("thaw.worker.feature.cache.hits"));
    assertEquals(3.0, registry.get("thaw.workers.connected").gauge().value());
    metrics.heard("x".repeat(100));
    assertTrue(labelled("thaw.worker.epoch").contains("x".repeat(WorkerMetrics.MAX_LABEL)));
    assertEquals(3, labelled("thaw.worker.epoch").size());
  }

  @Test
  void silentWorkersAreForgottenAndFiguresAreTheLatestHeartbeats() throws Exception {
    WorkerMetrics metrics =
        new WorkerMetrics(registry, settings(10, Duration.ofMillis(50)), lease());
    metrics.heartbeat("w1", new Heartbeat(List.of(), List.of(), 2.5, 400.0, 3L, 4L));
    metrics.heartbeat("w1", new Heartbeat(List.of(), List.of(), null, null, null, null));
    assertEquals(
        2.5, registry.get("thaw.worker.epoch").tag("worker", "w1").gauge().value(), "kept");
    assertEquals(
        3.0,
        registry
            .get("thaw.worker.feature.cache.hits")
            .tag("worker", "w1")
            .functionCounter()
            .count());
    Thread.sleep(80);
    metrics.forgetSilent();
    assertEquals(Set.of(), labelled("thaw.worker.epoch"));
    assertEquals(0.0, registry.get("thaw.workers.connected").gauge().value());
  }

  private Set<String> labelled(String name) {
    return registry.find(name).meters().stream()
        .map(m -> m.getId().getTag("worker"))
        .collect(Collectors.toSet());
  }

  private static LeaseSettings lease() {
    return new LeaseSettings() {
      @Override
      public int seconds() {
        return 60;
      }

      @Override
      public int heartbeatSeconds() {
        return 10;
      }

      @Override
      public String reapEvery() {
        return "1s";
      }
    };
  }

  private static MetricsSettings settings(int maxWorkers, Duration forgetAfter) {
    return new MetricsSettings() {
      @Override
      public int maxSweeps() {
        return 20;
      }

      @Override
      public Duration endedSweepsFor() {
        return Duration.ofHours(1);
      }

      @Override
      public int maxWorkers() {
        return maxWorkers;
      }

      @Override
      public Duration forgetWorkersAfter() {
        return forgetAfter;
      }

      @Override
      public Duration refresh() {
        return Duration.ofSeconds(5);
      }

      @Override
      public Optional<String> token() {
        return Optional.empty();
      }
    };
  }
}
