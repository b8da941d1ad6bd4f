package dev.thaw.orchestrator.leases;

import java.util.List;

/**
 * A worker's report (a result or a heartbeat's epochs) that does not fit its lease; nothing of it
 * is stored.
 */
public class InvalidReportException extends RuntimeException {
  private final List<String> problems;

  InvalidReportException(String leaseId, String what, List<String> problems) {
    super(
        what
            + " of lease "
            + leaseId
            + " refused, nothing stored: "
            + problems.size()
            + (problems.size() == 1 ? " problem" : " problems")
            + " ("
            + problems.get(0)
            + (problems.size() > 1 ? ", ..." : "")
            + ")");
    this.problems = List.copyOf(problems);
  }

  /** Every problem found, each naming its field. */
  public List<String> problems() {
    return problems;
  }
}
