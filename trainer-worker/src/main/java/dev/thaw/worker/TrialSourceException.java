package dev.thaw.worker;

/**
 * The orchestrator refused a call (a 4xx other than 409) or could not be reached; the message names
 * the orchestrator's URL, the call and what went wrong.
 */
public class TrialSourceException extends RuntimeException {
  private static final long serialVersionUID = 1L;

  public TrialSourceException(String message) {
    super(message);
  }

  public TrialSourceException(String message, Throwable cause) {
    super(message, cause);
  }
}
