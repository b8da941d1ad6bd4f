package dev.thaw.orchestrator.workers;

import jakarta.enterprise.context.ApplicationScoped;
import org.eclipse.microprofile.health.HealthCheck;
import org.eclipse.microprofile.health.HealthCheckResponse;
import org.eclipse.microprofile.health.Liveness;

/** {@code /q/health/live} is DOWN when the configured embedded worker has died, with the reason. */
@Liveness
@ApplicationScoped
public class EmbeddedWorkerHealth implements HealthCheck {
  private final EmbeddedWorker worker;

  EmbeddedWorkerHealth(EmbeddedWorker worker) {
    this.worker = worker;
  }

  @Override
  public HealthCheckResponse call() {
    var response = HealthCheckResponse.named("embedded worker");
    if (!worker.configured()) {
      return response.up().withData("embedded", false).build();
    }
    Throwable failure = worker.failure();
    return worker.running()
        ? response.up().withData("embedded", true).build()
        : response
            .down()
            .withData("embedded", true)
            .withData("error", failure == null ? "stopped" : failure.toString())
            .build();
  }
}
