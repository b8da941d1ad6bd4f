package dev.thaw.orchestrator.workers;

import dev.thaw.orchestrator.leases.LeaseService;
import dev.thaw.orchestrator.leases.WireLease;
import dev.thaw.protocol.Failure;
import dev.thaw.protocol.Heartbeat;
import dev.thaw.protocol.HeartbeatReply;
import dev.thaw.protocol.Lease;
import dev.thaw.protocol.LeaseRequest;
import dev.thaw.trial.TrialResult;
import dev.thaw.worker.LeaseLostException;
import dev.thaw.worker.TrialSource;
import java.util.Optional;

/**
 * The worker protocol without HTTP, for the worker embedded in the orchestrator's JVM: the same
 * calls, answered by {@link LeaseService} directly.
 */
final class EmbeddedTrialSource implements TrialSource {
  private final LeaseService leases;

  EmbeddedTrialSource(LeaseService leases) {
    this.leases = leases;
  }

  @Override
  public Optional<Lease> lease(LeaseRequest request) {
    return leases.lease(request);
  }

  @Override
  public HeartbeatReply heartbeat(String leaseId, Heartbeat heartbeat) {
    try {
      return leases.heartbeat(leaseId, heartbeat);
    } catch (dev.thaw.orchestrator.leases.LeaseLostException e) {
      throw new LeaseLostException(leaseId, e.getMessage());
    }
  }

  @Override
  public void complete(String leaseId, TrialResult result) {
    try {
      leases.complete(leaseId, result);
    } catch (dev.thaw.orchestrator.leases.LeaseLostException e) {
      throw new LeaseLostException(leaseId, e.getMessage());
    }
  }

  /** One call to {@link LeaseService#completeAndLease}: the next lease goes to the same worker. */
  @Override
  public Optional<Lease> completeAndLease(String leaseId, TrialResult result, LeaseRequest next) {
    try {
      return leases.completeAndLease(leaseId, result).map(WireLease::toLease);
    } catch (dev.thaw.orchestrator.leases.LeaseLostException e) {
      throw new LeaseLostException(leaseId, e.getMessage());
    }
  }

  @Override
  public void fail(String leaseId, Failure failure) {
    try {
      leases.fail(leaseId, failure);
    } catch (dev.thaw.orchestrator.leases.LeaseLostException e) {
      throw new LeaseLostException(leaseId, e.getMessage());
    }
  }
}
