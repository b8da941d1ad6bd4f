package dev.thaw.orchestrator.leases;

import dev.thaw.orchestrator.store.Database;
import dev.thaw.orchestrator.store.TrialRepository;
import dev.thaw.orchestrator.sweeps.SweepEnded;
import dev.thaw.orchestrator.sweeps.SweepSubmitted;
import dev.thaw.orchestrator.sweeps.TrialsQueued;
import dev.thaw.trial.FeatureReuse;
import dev.thaw.trial.TrialSpec;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.enterprise.event.TransactionPhase;
import java.util.ArrayDeque;
import java.util.Comparator;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Picks the trial a worker gets next, in memory: the running sweep with the fewest running trials
 * (below its {@code parallel_trials}) first, then the oldest, and in it the lowest-numbered queued
 * trial; or, for a worker that holds frozen-prefix features, the one among the sweep's next {@link
 * #BATCH} queued trials that can start from the deepest of them ({@link FeatureReuse}). The cache
 * only reorders trials within the chosen sweep, so it never changes which sweep gets a worker nor
 * how many trials a sweep runs.
 *
 * <p>The store stays the truth: a {@link Claim} carries a trial as it was read (what its lease
 * sends, and its attempt count), and the lease takes it with an update conditional on the trial
 * being still QUEUED with that attempt count, so a stale read never starts a trial, nor gives it a
 * wrong attempt number. A claim that loses (the trial was cancelled, taken elsewhere, or requeued
 * since it was read) is settled as not started, the sweep's queue is read again, and the caller
 * claims again. What is kept here is what the store would otherwise be asked on every lease: the
 * running sweeps, how many trials each runs (counted here: a claim adds one, a trial leaving
 * RUNNING takes one off), and a short list of each sweep's next queued trials ({@link #BATCH} per
 * running sweep, specs included), read again from the store when trials are queued (CDI events
 * after commit) or when the list runs out. One orchestrator process owns the store's leases.
 */
@ApplicationScoped
public class Dispatcher {
  /** Queued trials read from the store at once per sweep (and so kept in memory, at most). */
  static final int BATCH = 64;

  private final Database db;
  private final TrialRepository trials;
  private final Map<String, Slot> slots = new HashMap<>();
  // Events arrive after commit on other threads, some maybe still holding a connection: they only
  // leave a note here, and the next claim applies the notes (the claim may read the store).
  private final Set<String> queuedNotes = ConcurrentHashMap.newKeySet();
  private final Set<String> endedNotes = ConcurrentHashMap.newKeySet();
  private volatile boolean sweepsChanged = true;

  Dispatcher(Database db, TrialRepository trials) {
    this.db = db;
    this.trials = trials;
  }

  /**
   * A queued trial set aside for one lease; settle it with {@link #settle}.
   *
   * @param sweepId the trial's sweep
   * @param sweepName its name, for logs
   * @param trial the trial as read from the store (maybe stale: start it conditionally)
   */
  public record Claim(String sweepId, String sweepName, TrialRepository.Queued trial) {
    public String trialId() {
      return trial.id();
    }
  }

  /** A running sweep as the dispatcher sees it. */
  private static final class Slot {
    final String id;
    final String name;
    final long createdAt;
    final int parallelTrials;
    int running;
    final ArrayDeque<TrialRepository.Queued> next = new ArrayDeque<>();
    final Set<String> claimed = new HashSet<>();
    // What each listed trial could take from a cache, read from its spec once (null: nothing).
    final Map<String, Optional<FeatureReuse.Demand>> demands = new HashMap<>();
    boolean reread = true;
    boolean more;

    Slot(String id, String name, long createdAt, int parallelTrials, int running) {
      this.id = id;
      this.name = name;
      this.createdAt = createdAt;
      this.parallelTrials = parallelTrials;
      this.running = running;
    }

    boolean mayHaveQueued() {
      return reread || !next.isEmpty();
    }
  }

  private static final Comparator<Slot> FAIR =
      Comparator.<Slot>comparingInt(s -> s.running)
          .thenComparingLong(s -> s.createdAt)
          .thenComparing(s -> s.id);

  /** Sets a queued trial aside for a lease, or empty when no sweep may start one now. */
  public synchronized Optional<Claim> claim() {
    return claim(Set.of());
  }

  /**
   * Sets a queued trial aside for a lease to a worker that holds the {@code cachedPrefixes} ({@link
   * FeatureReuse} hints), or empty when no sweep may start one now.
   */
  public synchronized Optional<Claim> claim(Set<String> cachedPrefixes) {
    applyNotes();
    while (true) {
      Slot best = null;
      for (Slot s : slots.values()) {
        if (s.running < s.parallelTrials
            && s.mayHaveQueued()
            && (best == null || FAIR.compare(s, best) < 0)) {
          best = s;
        }
      }
      if (best == null) {
        return Optional.empty();
      }
      if (best.reread) {
        readQueued(best);
      }
      TrialRepository.Queued trial = take(best, cachedPrefixes);
      if (best.next.isEmpty() && best.more) {
        best.reread = true;
      }
      if (trial == null) {
        continue; // nothing queued after all; the slot no longer qualifies
      }
      best.running++;
      best.claimed.add(trial.id());
      return Optional.of(new Claim(best.id, best.name, trial));
    }
  }

  /**
   * Like {@link #claim}, for a worker whose trial of sweep {@code leaving} is ending in the same
   * transaction as the claimed trial's start: that trial is counted out of its sweep while choosing
   * (so a sweep at its {@code parallel_trials} can hand the worker its next trial). It stays
   * counted until {@link #released} after the commit, as when the two happen one after the other.
   */
  public synchronized Optional<Claim> claimInPlaceOf(String leaving, Set<String> cachedPrefixes) {
    Slot slot = slots.get(leaving);
    boolean countedOut = slot != null && slot.running > 0;
    if (countedOut) {
      slot.running--;
    }
    try {
      return claim(cachedPrefixes);
    } finally {
      if (countedOut) {
        slot.running++;
      }
    }
  }

  /**
   * The sweep's next queued trial for this worker: the first that can start from the deepest held
   * prefix, else simply the first.
   */
  private static TrialRepository.Queued take(Slot s, Set<String> cachedPrefixes) {
    if (cachedPrefixes.isEmpty() || s.next.size() < 2) {
      return s.next.poll();
    }
    TrialRepository.Queued pick = null;
    int deepest = -1;
    for (TrialRepository.Queued q : s.next) {
      Optional<FeatureReuse.Demand> demand =
          s.demands.computeIfAbsent(q.id(), id -> Optional.ofNullable(demandOf(q)));
      int depth = demand.map(d -> d.deepestIn(cachedPrefixes)).orElse(-1);
      if (depth > deepest) {
        deepest = depth;
        pick = q;
      }
    }
    if (pick == null) {
      return s.next.poll();
    }
    s.next.remove(pick);
    s.demands.remove(pick.id());
    return pick;
  }

  private static FeatureReuse.Demand demandOf(TrialRepository.Queued q) {
    try {
      return FeatureReuse.demand(TrialSpec.fromJson(q.specJson(), "trial " + q.id()));
    } catch (RuntimeException e) {
      return null; // the lease reports an unreadable spec; here it simply reuses nothing
    }
  }

  /**
   * Ends a claim: {@code started} when the lease's transaction committed the trial as RUNNING, else
   * the sweep's count goes back down and its queue is read again: the trial may have been requeued
   * with more attempts since it was read, and must not be left out of the list.
   */
  public synchronized void settle(Claim claim, boolean started) {
    Slot s = slots.get(claim.sweepId());
    if (s != null) {
      s.claimed.remove(claim.trialId());
      if (!started) {
        s.running--;
        s.reread = true;
      }
    }
  }

  /**
   * A trial of the sweep left RUNNING (result, failure, lost lease); call after commit.
   *
   * @return false when this process knows the sweep still has trials running, being leased or in
   *     the queue; true when it may be done (also when the sweep is not known here: ended, or not
   *     read since a restart)
   */
  public synchronized boolean released(String sweepId) {
    Slot s = slots.get(sweepId);
    if (s == null) {
      return true;
    }
    if (s.running > 0) {
      s.running--;
    }
    return s.running == 0 && s.next.isEmpty() && !s.more;
  }

  void onQueued(@Observes(during = TransactionPhase.AFTER_SUCCESS) TrialsQueued event) {
    queued(event.sweepId());
  }

  /** Trials of the sweep were queued (committed): its queue is read again before the next claim. */
  public void queued(String sweepId) {
    queuedNotes.add(sweepId);
  }

  void onSubmitted(@Observes(during = TransactionPhase.AFTER_SUCCESS) SweepSubmitted event) {
    sweepsChanged = true;
  }

  void onEnded(@Observes(during = TransactionPhase.AFTER_SUCCESS) SweepEnded event) {
    endedNotes.add(event.sweepId());
  }

  private void applyNotes() {
    for (var it = endedNotes.iterator(); it.hasNext(); ) {
      slots.remove(it.next());
      it.remove();
    }
    if (sweepsChanged) {
      sweepsChanged = false; // before reading: a sweep submitted meanwhile sets it again
      readSweeps();
    }
    for (var it = queuedNotes.iterator(); it.hasNext(); ) {
      Slot s = slots.get(it.next());
      it.remove();
      if (s != null) {
        s.reread = true;
      }
    }
  }

  /**
   * Reads the running sweeps and their running trials. Sweeps already known keep their counts
   * (claims in flight are not in the store yet); ended ones are dropped.
   */
  private void readSweeps() {
    List<Slot> running =
        db.query(
            """
            SELECT s.id, s.name, s.created_at, s.parallel_trials,
              (SELECT count(*) FROM trial r WHERE r.sweep_id = s.id AND r.state = 'RUNNING')
            FROM sweep s WHERE s.state = 'RUNNING'
            """,
            rs ->
                new Slot(
                    rs.getString(1), rs.getString(2), rs.getLong(3), rs.getInt(4), rs.getInt(5)));
    Map<String, Slot> next = new HashMap<>();
    for (Slot fresh : running) {
      Slot known = slots.get(fresh.id);
      next.put(fresh.id, known != null ? known : fresh);
    }
    slots.clear();
    slots.putAll(next);
  }

  /** Reads the sweep's next queued trials, leaving out those claimed and not yet settled. */
  private void readQueued(Slot s) {
    s.next.clear();
    s.demands.clear();
    for (TrialRepository.Queued t : trials.queued(s.id, BATCH + s.claimed.size())) {
      if (!s.claimed.contains(t.id())) {
        s.next.add(t);
      }
    }
    s.reread = false;
    s.more = s.next.size() >= BATCH; // a full batch: more may wait behind it
  }
}
