package dev.thaw.orchestrator.metrics;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;
import java.time.Duration;
import java.util.Optional;

/** What the metrics show, and who may read them ({@code thaw.metrics.*}). */
@ConfigMapping(prefix = "thaw.metrics")
public interface MetricsSettings {
  /** Sweeps with a {@code sweep} label at most: the running ones first, then the latest ended. */
  @WithDefault("20")
  int maxSweeps();

  /** How long an ended sweep keeps its series. */
  @WithDefault("1h")
  Duration endedSweepsFor();

  /** Workers with a {@code worker} label at most; the one heard from least recently goes first. */
  @WithDefault("50")
  int maxWorkers();

  /** A worker not heard from for this long loses its series. */
  @WithDefault("10m")
  Duration forgetWorkersAfter();

  /** How often the store's figures (trials by state, queue depth) are read again. */
  @WithDefault("5s")
  Duration refresh();

  /** The bearer token {@code /q/metrics} asks for; unset: open, like {@code /q/health}. */
  Optional<String> token();
}
