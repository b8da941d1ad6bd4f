package dev.thaw.orchestrator.leases;

/** A call named a lease that is not active: expired and requeued, or already reported. */
public class LeaseLostException extends RuntimeException {
  private static final long serialVersionUID = 1L;

  public LeaseLostException(String leaseId, String why) {
    super("lease " + leaseId + " is no longer valid: " + why);
  }
}
