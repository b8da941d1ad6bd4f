package dev.thaw.worker;

import dev.thaw.protocol.Failure;
import dev.thaw.protocol.Heartbeat;
import dev.thaw.protocol.HeartbeatReply;
import dev.thaw.protocol.Lease;
import dev.thaw.protocol.LeaseRequest;
import dev.thaw.trial.TrialResult;
import dev.thaw.trial.TrialSpec;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.BiFunction;

/**
 * A scripted, in-memory test double of the orchestrator's side of the lease protocol (the real
 * orchestrator is tested end to end elsewhere). It hands out the trials queued with {@link #queue},
 * answers heartbeats with a scripted rule (continue by default; the rule may throw {@link
 * LeaseLostException}) and records every call. It completes and leases in one call, as the real
 * orchestrator does, unless told to behave like an older one ({@link #leasesWithResults}).
 */
final class ScriptedOrchestrator implements TrialSource {
  /** One heartbeat as received. */
  record Beat(String leaseId, Heartbeat heartbeat) {}

  private final Deque<Lease> queue = new ArrayDeque<>();
  private final List<LeaseRequest> leaseCalls = new ArrayList<>();
  private final List<Beat> beats = new ArrayList<>();
  private final Map<String, TrialResult> completed = new LinkedHashMap<>();
  private final Map<String, Failure> failed = new LinkedHashMap<>();
  private BiFunction<String, Heartbeat, HeartbeatReply> onHeartbeat =
      (lease, beat) -> HeartbeatReply.proceed(30);
  private final List<String> calls = new ArrayList<>();
  private int leases;
  private int unreachableLeaseCalls;
  private boolean leasesWithResults = true;
  private Runnable onCompleteAndLease = () -> {};

  /** Queues a trial; its lease is {@code L<n>}, heartbeats every {@code heartbeatSeconds}. */
  synchronized String queue(TrialSpec trial, int heartbeatSeconds) {
    String leaseId = "L" + (++leases);
    queue.add(
        new Lease(
            leaseId,
            trial.id(),
            1,
            "s1",
            "test-sweep",
            trial.configHash(),
            trial,
            30,
            heartbeatSeconds,
            null));
    return leaseId;
  }

  /** The next {@code calls} lease calls fail as if the orchestrator were down. */
  synchronized void unreachableFor(int calls) {
    unreachableLeaseCalls = calls;
  }

  /** False: a result never brings the next lease (an orchestrator without the option). */
  synchronized void leasesWithResults(boolean yes) {
    leasesWithResults = yes;
  }

  /** Runs while a complete-and-lease call is being answered (e.g. to stop the worker then). */
  synchronized void onCompleteAndLease(Runnable action) {
    onCompleteAndLease = action;
  }

  /** Replaces the heartbeat rule. */
  synchronized void onHeartbeat(BiFunction<String, Heartbeat, HeartbeatReply> rule) {
    this.onHeartbeat = rule;
  }

  @Override
  public synchronized Optional<Lease> lease(LeaseRequest request) {
    leaseCalls.add(request);
    calls.add("lease");
    if (unreachableLeaseCalls > 0) {
      unreachableLeaseCalls--;
      throw new OrchestratorUnavailableException("orchestrator (scripted) unreachable", null);
    }
    return Optional.ofNullable(queue.poll());
  }

  @Override
  public synchronized HeartbeatReply heartbeat(String leaseId, Heartbeat heartbeat) {
    beats.add(new Beat(leaseId, heartbeat));
    calls.add("heartbeat");
    return onHeartbeat.apply(leaseId, heartbeat);
  }

  @Override
  public synchronized void complete(String leaseId, TrialResult result) {
    completed.put(leaseId, result);
    calls.add("complete");
  }

  @Override
  public synchronized Optional<Lease> completeAndLease(
      String leaseId, TrialResult result, LeaseRequest next) {
    completed.put(leaseId, result);
    calls.add("completeAndLease");
    onCompleteAndLease.run();
    return leasesWithResults ? Optional.ofNullable(queue.poll()) : Optional.empty();
  }

  @Override
  public synchronized void fail(String leaseId, Failure failure) {
    failed.put(leaseId, failure);
    calls.add("fail");
  }

  synchronized List<LeaseRequest> leaseCalls() {
    return List.copyOf(leaseCalls);
  }

  /** Every call but heartbeats, in order: lease, complete, completeAndLease, fail. */
  synchronized List<String> calls() {
    return calls.stream().filter(c -> !c.equals("heartbeat")).toList();
  }

  synchronized List<Beat> beats(String leaseId) {
    return beats.stream().filter(b -> b.leaseId().equals(leaseId)).toList();
  }

  synchronized Map<String, TrialResult> completed() {
    return Map.copyOf(completed);
  }

  synchronized Map<String, Failure> failed() {
    return Map.copyOf(failed);
  }
}
