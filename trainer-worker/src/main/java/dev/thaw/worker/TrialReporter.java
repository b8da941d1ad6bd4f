package dev.thaw.worker;

import dev.thaw.protocol.Failure;
import dev.thaw.protocol.HandBack;
import dev.thaw.protocol.Lease;
import dev.thaw.protocol.LeaseRequest;
import dev.thaw.trial.TrialResult;
import java.util.Optional;

/**
 * Tells the orchestrator how a trial ended, then ends its tracked run and tells the {@link
 * WorkerListener}: a result is completed, a failure reported, a stopped worker's trial handed back.
 * A lost lease or an unreachable orchestrator drops the trial.
 *
 * <p>A result is completed with {@link TrialSource#completeAndLease} when the worker will ask for
 * another trial anyway; the lease that comes with it waits in {@link #takeLeasedWithResult()}.
 */
final class TrialReporter {
  private final TrialSource source;
  private final LeaseRequest identity;
  private final WorkerListener listener;
  private final StopSignal stop;

  /** The lease that came with the last result, run next instead of asking for one. */
  private Lease leasedWithResult;

  TrialReporter(
      TrialSource source, LeaseRequest identity, WorkerListener listener, StopSignal stop) {
    this.source = source;
    this.identity = identity;
    this.listener = listener;
    this.stop = stop;
  }

  /** The lease that came with the last result, once; empty when none came. */
  Optional<Lease> takeLeasedWithResult() {
    Optional<Lease> next = Optional.ofNullable(leasedWithResult);
    leasedWithResult = null;
    return next;
  }

  /**
   * Hands the trial back because the worker stopped: queued again without using a retry (a
   * retryable failure on an orchestrator without hand-back).
   *
   * @param tracked the attempt's tracked run, or null when it has none
   */
  TrialOutcome handBack(Lease lease, AttemptRun tracked, String why) {
    Failure failure = new Failure("worker " + identity.workerId() + " stopped: " + why, true);
    return report(lease, tracked, TrialOutcome.HANDED_BACK, null, failure, null, false);
  }

  /**
   * Delivers a result or a failure; a lost lease or an unreachable orchestrator drops the trial.
   * With {@code leaseNext} (and no stop asked for), a result also asks for the next lease, kept for
   * {@link #takeLeasedWithResult()}.
   */
  TrialOutcome report(
      Lease lease,
      AttemptRun tracked,
      TrialOutcome outcome,
      TrialResult result,
      Failure failure,
      String detail,
      boolean leaseNext) {
    try {
      if (result != null && leaseNext && !stop.requested()) {
        leasedWithResult = source.completeAndLease(lease.leaseId(), result, identity).orElse(null);
      } else if (result != null) {
        source.complete(lease.leaseId(), result);
      } else if (outcome == TrialOutcome.HANDED_BACK) {
        source.handBack(lease.leaseId(), new HandBack(failure.reason()));
      } else {
        source.fail(lease.leaseId(), failure);
      }
    } catch (LeaseLostException e) {
      return finished(lease, tracked, TrialOutcome.DROPPED, null, null, e.getMessage());
    } catch (TrialSourceException e) {
      String what = result != null ? "result" : "failure";
      return finished(
          lease,
          tracked,
          TrialOutcome.DROPPED,
          null,
          null,
          "cannot deliver its " + what + ": " + e.getMessage());
    }
    return finished(lease, tracked, outcome, result, failure, detail);
  }

  /** Ends the tracked run (if any) and tells the listener; nothing goes to the orchestrator. */
  TrialOutcome finished(
      Lease lease,
      AttemptRun tracked,
      TrialOutcome outcome,
      TrialResult result,
      Failure failure,
      String detail) {
    if (tracked != null) {
      tracked.end(outcome, result, detail != null || failure == null ? detail : failure.reason());
    }
    listener.finished(lease, outcome, result, failure, detail);
    return outcome;
  }
}
