package dev.thaw.orchestrator.schedules;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;
import java.time.Duration;
import java.util.Optional;

/** Scheduled sweeps ({@code thaw.schedules.*}). */
@ConfigMapping(prefix = "thaw.schedules")
public interface ScheduleSettings {
  /** A folder whose sweep files with a {@code schedule} are registered at start-up. */
  Optional<String> folder();

  /** How often a firing queued behind a running execution checks again. */
  @WithDefault("30s")
  Duration queueCheck();
}
