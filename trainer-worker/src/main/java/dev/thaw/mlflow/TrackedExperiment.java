package dev.thaw.mlflow;

/**
 * An MLflow experiment, by name. The server's experiment is looked up (or created) when the first
 * run in it is sent, not when this handle is made.
 *
 * @param name the experiment's name, not blank
 */
public record TrackedExperiment(String name) {
  public TrackedExperiment {
    if (name == null || name.isBlank()) {
      throw new IllegalArgumentException("an MLflow experiment needs a name (got '" + name + "')");
    }
  }
}
