package dev.thaw.orchestrator.mlflow;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;
import java.time.Duration;
import java.util.Optional;

/** Where the orchestrator tracks sweeps in MLflow ({@code thaw.mlflow.*}). */
@ConfigMapping(prefix = "thaw.mlflow")
public interface MlflowSettings {
  /**
   * The MLflow server of sweeps whose file sets no {@code mlflow.tracking_uri}; empty: such sweeps
   * are not tracked.
   */
  Optional<String> trackingUri();

  /**
   * A bearer token for {@link #trackingUri()}, or empty. It is sent to that server only, never to
   * another server a sweep file names.
   */
  Optional<String> token();

  /**
   * MLflow servers sweep files may name in {@code mlflow.tracking_uri} besides {@link
   * #trackingUri()}; a sweep naming any other is refused at submission.
   */
  Optional<java.util.List<String>> allowedUris();

  /**
   * The folder of the orchestrator's tracking spools (one per server); empty: {@code
   * $THAW_CACHE/tracking-spool}.
   */
  Optional<String> spoolDir();

  /**
   * How long a submit waits for the server to create the sweep's parent run; later, the id is
   * picked up when a trial is leased.
   */
  @WithDefault("2s")
  Duration parentWait();
}
