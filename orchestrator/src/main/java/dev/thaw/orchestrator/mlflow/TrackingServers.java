package dev.thaw.orchestrator.mlflow;

import dev.thaw.mlflow.TrackingServer;
import dev.thaw.sweep.SweepError;
import dev.thaw.sweep.SweepLoader;
import dev.thaw.sweep.SweepSpec;
import jakarta.enterprise.context.ApplicationScoped;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Collectors;

/**
 * Which MLflow servers a submitted sweep may name in {@code mlflow.tracking_uri}: the configured
 * one ({@code thaw.mlflow.tracking-uri}) and those on {@code thaw.mlflow.allowed-uris}. Without the
 * check, any sweep could make the orchestrator and its workers send runs (and, before tokens were
 * bound to their servers, the token) to a server of the submitter's choosing.
 */
@ApplicationScoped
public class TrackingServers {
  private final List<TrackingServer> allowed;
  private final List<String> shown;

  TrackingServers(MlflowSettings settings) {
    List<String> uris = new ArrayList<>();
    settings.trackingUri().map(String::strip).filter(u -> !u.isBlank()).ifPresent(uris::add);
    settings
        .allowedUris()
        .ifPresent(
            list -> list.stream().map(String::strip).filter(u -> !u.isBlank()).forEach(uris::add));
    this.allowed = uris.stream().map(TrackingServer::of).distinct().toList();
    this.shown = uris;
  }

  /**
   * The error of a sweep whose file names a server that is not allowed, located in the file; empty
   * when it names none (the configured server is used) or an allowed one.
   */
  public List<SweepError> check(SweepLoader.Loaded loaded) {
    SweepSpec spec = loaded.spec();
    String named = spec == null || spec.mlflow() == null ? null : spec.mlflow().trackingUri();
    if (named == null || named.isBlank() || allowed(named)) {
      return List.of();
    }
    String which =
        shown.isEmpty()
            ? "none is allowed"
            : "allowed: " + shown.stream().collect(Collectors.joining(", "));
    return List.of(
        loaded.locate(
            SweepError.at(
                "mlflow.tracking_uri",
                "'"
                    + named.strip()
                    + "' is not an MLflow server this orchestrator tracks to ("
                    + which
                    + "; an operator adds servers to thaw.mlflow.allowed-uris)")));
  }

  private boolean allowed(String uri) {
    try {
      return allowed.contains(TrackingServer.of(uri));
    } catch (IllegalArgumentException e) {
      return false; // not a server address: the validator has said so
    }
  }
}
