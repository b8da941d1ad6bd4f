package dev.thaw.auth;

import java.nio.file.Path;

/**
 * The two kinds of caller of an orchestrator, each with its own bearer token: people and their
 * tools on the user API (sweeps, schedules), and workers on the lease API ({@code /api/v1/leases}).
 * A worker's token cannot submit or cancel sweeps; a user's cannot lease trials.
 */
public enum TokenRole {
  /** The user API: everything under {@code /api/v1} except leases and {@code /api/v1/info}. */
  API("THAW_API_TOKEN", "api-token", "the API token", "the user API (sweeps, schedules)"),
  /** The worker API: {@code /api/v1/leases} and below. */
  WORKER(
      "THAW_WORKER_TOKEN", "worker-token", "the worker token", "the worker API (/api/v1/leases)");

  private final String envVar;
  private final String fileName;
  private final String title;
  private final String scope;

  TokenRole(String envVar, String fileName, String title, String scope) {
    this.envVar = envVar;
    this.fileName = fileName;
    this.title = title;
    this.scope = scope;
  }

  /** The environment variable that holds this token for the orchestrator and its clients. */
  public String envVar() {
    return envVar;
  }

  /** For messages: "the API token", "the worker token". */
  public String title() {
    return title;
  }

  /** For messages: which calls this token opens. */
  public String scope() {
    return scope;
  }

  /**
   * Where an orchestrator on this host keeps the token it generated when {@link #envVar()} was not
   * set: {@code <cache>/orchestrator/api-token} or {@code worker-token}.
   */
  public Path file(Path cacheDir) {
    return cacheDir.resolve("orchestrator").resolve(fileName);
  }
}
