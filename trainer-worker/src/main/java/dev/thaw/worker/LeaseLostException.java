package dev.thaw.worker;

/**
 * The lease is no longer this worker's: it expired and the trial went to another worker, or the
 * trial already has a result (HTTP 409). The worker drops the trial.
 */
public class LeaseLostException extends RuntimeException {
  private static final long serialVersionUID = 1L;
  private final String leaseId;

  public LeaseLostException(String leaseId, String message) {
    super("lease " + leaseId + " lost: " + message);
    this.leaseId = leaseId;
  }

  /** The lost lease. */
  public String leaseId() {
    return leaseId;
  }
}
