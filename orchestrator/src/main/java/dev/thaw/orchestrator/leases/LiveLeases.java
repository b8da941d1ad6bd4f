package dev.thaw.orchestrator.leases;

import dev.thaw.orchestrator.store.AttemptRecord;
import dev.thaw.orchestrator.store.AttemptRepository;
import dev.thaw.orchestrator.store.AttemptState;
import dev.thaw.orchestrator.store.MetricRepository;
import dev.thaw.orchestrator.store.TrialRecord;
import dev.thaw.orchestrator.store.TrialRepository;
import io.quarkus.narayana.jta.QuarkusTransaction;
import jakarta.enterprise.context.ApplicationScoped;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import org.jboss.logging.Logger;

/**
 * The active leases of this process, in memory ({@link LiveLease}), so a heartbeat reads nothing
 * back: the expiry in the store stays the truth (the reaper expires an attempt only with a
 * conditional update on it). Leases found active in the store after a restart are taken over with a
 * grace of one lease, as is a lease a report names that is active in the store but not known here.
 * A worker's reports should reach the orchestrator process that leased its trial (one process, or
 * sticky routing): the dispatcher's running counts are per process.
 */
@ApplicationScoped
class LiveLeases {
  private static final Logger LOG = Logger.getLogger(LiveLeases.class);

  private final TrialRepository trials;
  private final AttemptRepository attempts;
  private final MetricRepository metrics;
  private final LeaseSettings settings;
  private final Map<String, LiveLease> live = new ConcurrentHashMap<>();
  private volatile boolean takenOver;

  LiveLeases(
      TrialRepository trials,
      AttemptRepository attempts,
      MetricRepository metrics,
      LeaseSettings settings) {
    this.trials = trials;
    this.attempts = attempts;
    this.metrics = metrics;
    this.settings = settings;
  }

  /**
   * The live lease a report names, taken over from the store if it is active there but not known
   * here.
   *
   * @throws LeaseLostException when the lease is unknown or not active in the store
   */
  LiveLease find(String leaseId) {
    LiveLease known = live.get(leaseId);
    if (known != null) {
      return known;
    }
    LiveLease found =
        QuarkusTransaction.requiringNew()
            .call(() -> fromStore(activeAttempt(leaseId), System.currentTimeMillis()));
    LiveLease raced = live.putIfAbsent(leaseId, found);
    return raced != null ? raced : found;
  }

  /** A lease just started here. */
  void add(LiveLease lease) {
    live.put(lease.leaseId, lease);
  }

  /** The leases known here, for the reaper (a live view: leases come and go meanwhile). */
  Collection<LiveLease> all() {
    return live.values();
  }

  /** Ends the lease here and drops it: its attempt ended in the store. */
  void forget(LiveLease lease) {
    lease.end();
    live.remove(lease.leaseId);
  }

  /**
   * After a report or the reaper found the attempt not as expected in the store: drops the live
   * lease if it ended there, else takes the store's expiry (another orchestrator process on the
   * same store extended it).
   */
  void forgetIfEnded(LiveLease lease) {
    Optional<AttemptRecord> stored =
        QuarkusTransaction.requiringNew().call(() -> attempts.find(lease.leaseId));
    if (stored.isPresent() && stored.get().state() == AttemptState.ACTIVE) {
      lease.expiresAt(stored.get().leaseExpiresAt());
    } else {
      forget(lease);
    }
  }

  /**
   * Refuses a report on a lease that ended here, called holding the lease's lock.
   *
   * @throws LeaseLostException when the lease ended, saying why from the store
   */
  void refuseIfEnded(LiveLease lease) {
    if (lease.ended()) {
      throw lost(lease.leaseId);
    }
  }

  /** Why a lease that ended here is refused, from the store. */
  LeaseLostException lost(String leaseId) {
    AttemptRecord a = QuarkusTransaction.requiringNew().call(() -> activeAttempt(leaseId));
    return new LeaseLostException(a.id(), "it ended while this report was on its way");
  }

  /**
   * Takes over the leases active in the store (after a restart), once: each with a fresh expiry so
   * their workers have a full lease to reach this process.
   */
  void takeOverOnce() {
    if (takenOver) {
      return;
    }
    long now = System.currentTimeMillis();
    List<LiveLease> found =
        QuarkusTransaction.requiringNew()
            .call(() -> attempts.active().stream().map(a -> fromStore(a, now)).toList());
    found.forEach(l -> live.putIfAbsent(l.leaseId, l));
    if (!found.isEmpty()) {
      LOG.infof("took over %d active leases from the store", found.size());
    }
    takenOver = true;
  }

  private LiveLease fromStore(AttemptRecord attempt, long now) {
    TrialRecord trial = trials.find(attempt.trialId()).orElseThrow();
    return LiveLease.resumed(
        attempt,
        trial,
        metrics.lastEpoch(trial.id(), attempt.number()),
        now + settings.seconds() * 1000L);
  }

  private AttemptRecord activeAttempt(String leaseId) {
    AttemptRecord a =
        attempts.find(leaseId).orElseThrow(() -> new LeaseLostException(leaseId, "unknown lease"));
    if (a.state() != AttemptState.ACTIVE) {
      throw new LeaseLostException(
          leaseId,
          "it is "
              + a.state().name().toLowerCase()
              + (a.reason() == null ? "" : " (" + a.reason() + ")"));
    }
    return a;
  }
}
