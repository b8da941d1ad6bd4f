package dev.thaw.orchestrator.leases;

import dev.thaw.worker.protocol.LeaseRequest;

/**
 * An active lease as the orchestrator keeps it between reports: who holds which trial, until when,
 * and the attempt's progress so far (so a heartbeat need not read it back from the store), and the
 * worker's id, host and device (a complete-and-lease leases the next trial to them). Reports on one
 * lease are handled one at a time ({@code synchronized} on this object); {@link #ended} is set once
 * the attempt ended in the store.
 */
final class LiveLease {
  final String leaseId;
  final String trialId;
  final String sweepId;
  final int trialNumber;
  final int attempt;
  final String workerId;
  final String host;
  final String device;
  final LeaseTerms terms;
  volatile long expiresAt;
  volatile boolean ended;
  int epochsDone;
  Double objective;
  Integer bestEpoch;
  String stopRequested;

  LiveLease(
      String leaseId,
      String trialId,
      String sweepId,
      int trialNumber,
      int attempt,
      String workerId,
      String host,
      String device,
      LeaseTerms terms,
      long expiresAt) {
    this.leaseId = leaseId;
    this.trialId = trialId;
    this.sweepId = sweepId;
    this.trialNumber = trialNumber;
    this.attempt = attempt;
    this.workerId = workerId;
    this.host = host;
    this.device = device;
    this.terms = terms;
    this.expiresAt = expiresAt;
  }

  /**
   * The worker holding this lease, as it asked for it (a complete-and-lease leases to it again).
   */
  LeaseRequest worker() {
    return new LeaseRequest(workerId, host, device);
  }
}
