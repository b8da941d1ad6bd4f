package dev.thaw.bench;

import dev.thaw.protocol.Heartbeat;
import dev.thaw.protocol.HeartbeatReply;
import dev.thaw.protocol.Lease;
import dev.thaw.protocol.LeaseRequest;
import dev.thaw.trial.EpochMetrics;
import dev.thaw.trial.Metric;
import dev.thaw.trial.Stage;
import dev.thaw.trial.TrialResult;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.Callable;
import java.util.concurrent.atomic.LongAdder;
import org.apache.commons.math3.util.ResizableDoubleArray;

/**
 * A worker that trains nothing: it leases a trial, sends one heartbeat with one epoch, and
 * completes the trial with a tiny made-up result, again and again until the window stops it or the
 * orchestrator has no trial left. After the first lease, as {@code WorkerAgent} does, the complete
 * also leases the next trial ({@code complete?next=true}): one call between heartbeats. It times
 * each call, and the idle gap from sending the result to holding the next lease, for the events
 * inside the {@link MeasurementWindow}: a lease's round trip is that of the call that brought it
 * (the first lease, or a complete-and-lease), so then lease, gap and complete times are the same
 * call's.
 */
final class SimulatedWorker implements Callable<SimulatedWorker.Samples> {
  private static final EpochMetrics EPOCH =
      new EpochMetrics(1, Stage.FINE_TUNE, 0.5, 0.5, 0.8, 0.1, 1000);

  /**
   * What one worker measured, in milliseconds.
   *
   * @param leases leases received inside the window
   */
  record Samples(
      int leases,
      ResizableDoubleArray lease,
      ResizableDoubleArray idleGap,
      ResizableDoubleArray heartbeat,
      ResizableDoubleArray complete) {}

  private final BenchApiClient client;
  private final LeaseRequest identity;
  private final MeasurementWindow window;
  private final LongAdder leased;
  private final long trialNanos;

  /**
   * @param leased counts every lease this worker gets, inside the window or not
   * @param trialNanos 0 to report at once (as fast as the orchestrator answers); else the worker
   *     paces itself to one trial per {@code trialNanos}: it sends each result on a fixed schedule
   *     (a random phase, then every {@code trialNanos}, or at once when the orchestrator made it
   *     late) and its heartbeat half-way, so that N such workers offer N / trialNanos leases
   *     whatever the orchestrator's latency
   */
  SimulatedWorker(
      BenchApiClient client,
      String workerId,
      MeasurementWindow window,
      LongAdder leased,
      long trialNanos) {
    this.client = client;
    this.identity = new LeaseRequest(workerId, "lease-bench", "cpu()");
    this.window = window;
    this.leased = leased;
    this.trialNanos = trialNanos;
  }

  /** Sleeps until {@code nanoTime}, if it is still ahead. */
  private static void sleepUntil(long nanoTime) throws InterruptedException {
    long wait = nanoTime - System.nanoTime();
    if (wait > 0) {
      java.util.concurrent.locks.LockSupport.parkNanos(wait);
      while (System.nanoTime() < nanoTime) {
        if (Thread.interrupted()) {
          throw new InterruptedException();
        }
        java.util.concurrent.locks.LockSupport.parkNanos(nanoTime - System.nanoTime());
      }
    }
  }

  @Override
  public Samples call() throws Exception {
    Samples s =
        new Samples(
            0,
            new ResizableDoubleArray(),
            new ResizableDoubleArray(),
            new ResizableDoubleArray(),
            new ResizableDoubleArray());
    int leases = 0;
    if (window.stopping()) {
      return s;
    }
    long asked = System.nanoTime();
    Optional<Lease> next = client.lease(identity);
    long got = System.nanoTime();
    // Paced: when this worker sends its next result.
    long due =
        got
            + (trialNanos > 0
                ? java.util.concurrent.ThreadLocalRandom.current().nextLong(trialNanos)
                : 0);
    while (true) {
      if (next.isEmpty()) {
        window.exhausted(got);
        break;
      }
      leased.increment();
      if (window.contains(got)) {
        leases++;
        s.lease().addElement(millis(got - asked));
      }
      Lease lease = next.get();

      if (trialNanos > 0) {
        sleepUntil(due - trialNanos / 2);
      }
      long beatSent = System.nanoTime();
      HeartbeatReply reply = client.heartbeat(lease.leaseId(), new Heartbeat(List.of(EPOCH)));
      long beatAnswered = System.nanoTime();
      if (reply.action() != HeartbeatReply.Action.CONTINUE) {
        throw new IllegalStateException(
            "trial "
                + lease.trialId()
                + " was told to stop ("
                + reply.reason()
                + "); the benchmark sweep has no early termination");
      }
      if (window.contains(beatSent)) {
        s.heartbeat().addElement(millis(beatAnswered - beatSent));
      }

      if (trialNanos > 0) {
        sleepUntil(due);
        due += trialNanos;
      }
      // The result brings the next lease (one call), unless the worker stops here.
      boolean last = window.stopping();
      long completeSentAt = System.nanoTime();
      if (last) {
        client.complete(lease.leaseId(), result(lease));
      } else {
        next = client.completeAndLease(lease.leaseId(), result(lease));
      }
      long answered = System.nanoTime();
      if (window.contains(completeSentAt)) {
        s.complete().addElement(millis(answered - completeSentAt));
        if (!last) {
          s.idleGap().addElement(millis(answered - completeSentAt));
        }
      }
      if (last) {
        break;
      }
      asked = completeSentAt;
      got = answered;
    }
    return new Samples(leases, s.lease(), s.idleGap(), s.heartbeat(), s.complete());
  }

  private static TrialResult result(Lease lease) {
    // The spec's id and hash, as a real worker reports them (the orchestrator checks both).
    return TrialResult.builder()
        .trialId(lease.trial().idOrHash())
        .configHash(lease.trial().configHash())
        .monitor(Metric.VAL_ACCURACY)
        .bestValue(EPOCH.valAccuracy())
        .bestEpoch(1)
        .epochsRun(1)
        .stoppedEarly(false)
        .wallSeconds(0.1)
        .bestWeights("/dev/null")
        .finalValLoss(EPOCH.valLoss())
        .finalValAccuracy(EPOCH.valAccuracy())
        .targetClasses(List.of("0", "1"))
        .trainExamples(10)
        .validationExamples(10)
        .groupLearningRates(List.of(1e-4, 1e-4, 1e-4, 1e-4))
        .epochs(List.of(EPOCH))
        .build();
  }

  private static double millis(long nanos) {
    return nanos / 1e6;
  }
}
