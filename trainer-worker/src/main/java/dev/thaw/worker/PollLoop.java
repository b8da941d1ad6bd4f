package dev.thaw.worker;

import dev.thaw.protocol.Lease;
import dev.thaw.protocol.LeaseRequest;
import java.time.Duration;
import java.util.Map;
import java.util.Optional;

/**
 * A worker's loop: leases a trial and runs it, until the maximum number of trials, the idle timeout
 * or a stop. When no trial is ready it polls again after a {@link Backoff} (reset by work); an
 * unreachable orchestrator is waited for, and told to the listener once per outage. A lease that
 * came with the last result ({@link TrialReporter#takeLeasedWithResult()}) stands for the next
 * lease call.
 */
final class PollLoop {
  private final TrialSource source;
  private final LeaseRequest identity;
  private final HeldPrefixes held;
  private final int maxTrials;
  private final Duration idleExit;
  private final Backoff poll;
  private final WorkerListener listener;
  private final StopSignal stop;
  private final TrialRunner runner;
  private final TrialReporter reporter;

  /**
   * @param maxTrials the most trials to lease; 0 for no limit
   * @param idleExit how long to go without a trial before returning; null to wait for ever
   */
  PollLoop(
      TrialSource source,
      LeaseRequest identity,
      int maxTrials,
      Duration idleExit,
      Backoff poll,
      WorkerListener listener,
      StopSignal stop,
      TrialRunner runner,
      TrialReporter reporter,
      HeldPrefixes held) {
    this.held = held;
    this.source = source;
    this.identity = identity;
    this.maxTrials = maxTrials;
    this.idleExit = idleExit;
    this.poll = poll;
    this.listener = listener;
    this.stop = stop;
    this.runner = runner;
    this.reporter = reporter;
  }

  /**
   * Runs until an exit, counting each trial's outcome in {@code outcomes}.
   *
   * @throws TrialSourceException when the orchestrator refuses to lease and no stop was asked for
   */
  WorkerSummary.Exit run(Map<TrialOutcome, Integer> outcomes) {
    int leased = 0;
    int idleRounds = 0;
    long idleSince = System.nanoTime();
    boolean unavailable = false;
    while (true) {
      Optional<Lease> next = reporter.takeLeasedWithResult();
      // A lease that came with a result stands for this round's lease call: the checks below were
      // made before asking for it.
      if (next.isEmpty()) {
        if (stop.requested()) {
          return WorkerSummary.Exit.STOPPED;
        }
        if (maxTrials > 0 && leased >= maxTrials) {
          return WorkerSummary.Exit.MAX_TRIALS;
        }
        stop.enterInterruptible();
        try {
          next = source.lease(identity.holding(held.get()));
          unavailable = false;
        } catch (OrchestratorUnavailableException e) {
          if (!unavailable && !stop.requested()) {
            listener.orchestratorUnavailable(e.getMessage());
          }
          unavailable = true;
        } catch (TrialSourceException e) {
          if (!stop.requested()) {
            throw e;
          }
        } finally {
          stop.leaveInterruptible();
        }
      }
      if (next.isPresent()) {
        leased++;
        idleRounds = 0;
        Lease lease = next.get();
        boolean mayLeaseNext = maxTrials == 0 || leased < maxTrials;
        TrialOutcome outcome =
            stop.requested()
                ? reporter.handBack(lease, null, "the worker stopped before it started")
                : runner.run(lease, mayLeaseNext);
        outcomes.merge(outcome, 1, Integer::sum);
        idleSince = System.nanoTime();
        continue;
      }
      if (stop.requested()) {
        return WorkerSummary.Exit.STOPPED;
      }
      Duration idle = Duration.ofNanos(System.nanoTime() - idleSince);
      if (idleExit != null && idle.compareTo(idleExit) >= 0) {
        return WorkerSummary.Exit.IDLE;
      }
      Duration wait = poll.delay(++idleRounds);
      if (idleExit != null && idleExit.minus(idle).compareTo(wait) < 0) {
        wait = idleExit.minus(idle);
      }
      stop.sleep(wait);
    }
  }
}
