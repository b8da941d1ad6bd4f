package dev.thaw.worker;

/**
 * The orchestrator did not answer, or answered with a server error, on every attempt within the
 * retry budget. The worker may try again later (it is probably restarting).
 */
public class OrchestratorUnavailableException extends TrialSourceException {
  private static final long serialVersionUID = 1L;

  public OrchestratorUnavailableException(String message, Throwable cause) {
    super(message, cause);
  }
}
