package dev.thaw.orchestrator.metrics;

import dev.thaw.orchestrator.mlflow.Trackers;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.quarkus.runtime.Startup;
import jakarta.enterprise.context.ApplicationScoped;

/** The MLflow spool's backlog: operations written to disk and not yet accepted by the server. */
@Startup
@ApplicationScoped
public class SpoolMetrics {
  SpoolMetrics(MeterRegistry registry, Trackers trackers) {
    Gauge.builder("thaw.mlflow.spool.pending.operations", trackers, Trackers::pendingOperations)
        .description(
            "MLflow operations of the orchestrator's parent runs spooled on disk, not yet sent")
        .strongReference(true)
        .register(registry);
  }
}
