package dev.thaw.mlflow;

import org.mlflow.api.proto.Service;

/** How a run ended, as MLflow shows it. */
public enum RunStatus {
  /** The run completed. */
  FINISHED(Service.RunStatus.FINISHED),
  /** The run failed (an error, or a dead attempt found later). */
  FAILED(Service.RunStatus.FAILED),
  /** The run was stopped on purpose: cancelled, or pruned by early termination. */
  KILLED(Service.RunStatus.KILLED);

  private final Service.RunStatus proto;

  RunStatus(Service.RunStatus proto) {
    this.proto = proto;
  }

  Service.RunStatus proto() {
    return proto;
  }
}
