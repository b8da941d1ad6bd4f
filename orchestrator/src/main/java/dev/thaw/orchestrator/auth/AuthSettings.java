package dev.thaw.orchestrator.auth;

import io.smallrye.config.ConfigMapping;
import java.util.Optional;

/**
 * The bearer tokens the API takes ({@code thaw.auth.*}); see {@link ApiTokens} for what happens
 * when they are not set.
 */
@ConfigMapping(prefix = "thaw.auth")
public interface AuthSettings {
  /** The token of the user API (sweeps, schedules); {@code THAW_API_TOKEN}. */
  Optional<String> apiToken();

  /** The token of the worker API ({@code /api/v1/leases}); {@code THAW_WORKER_TOKEN}. */
  Optional<String> workerToken();
}
