package dev.thaw.orchestrator.leases;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;

/** How long a lease lasts and how often workers heartbeat ({@code thaw.leases.*}). */
@ConfigMapping(prefix = "thaw.leases")
public interface LeaseSettings {
  /** Seconds a lease lasts without a heartbeat; then the trial goes back to the queue. */
  @WithDefault("60")
  int seconds();

  /** Seconds between a worker's heartbeats while an epoch runs (well under {@link #seconds()}). */
  @WithDefault("10")
  int heartbeatSeconds();

  /** How often expired leases are looked for (a Quarkus scheduler interval such as {@code 1s}). */
  @WithDefault("1s")
  String reapEvery();
}
