package dev.thaw.orchestrator.sweeps;

import dev.thaw.api.TrialState;
import dev.thaw.orchestrator.store.SweepRecord;
import dev.thaw.orchestrator.store.SweepRepository;
import dev.thaw.orchestrator.store.TrialRecord;
import dev.thaw.orchestrator.store.TrialRepository;
import dev.thaw.orchestrator.sweeps.SweepService.WarmStart;
import dev.thaw.sweep.SweepSpec;
import dev.thaw.sweep.TrialSpecs;
import dev.thaw.sweep.search.GridSearch;
import dev.thaw.sweep.search.Proposals;
import dev.thaw.sweep.search.Proposals.Proposal;
import dev.thaw.sweep.search.SearchMethod;
import dev.thaw.sweep.search.SearchStrategy;
import dev.thaw.sweep.search.SearchStrategy.Observation;
import dev.thaw.sweep.space.Point;
import dev.thaw.trial.TrialSpec;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Event;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;

/**
 * A running sweep's queue of trials: asks its search strategy (kept per sweep) for configurations
 * and stores them as queued trials with their resolved specs, the first ones at submission and more
 * after each trial ends; the warm-start configurations of a scheduled execution go first.
 */
@ApplicationScoped
public class TrialQueue {
  /** Trials a grid, random or Sobol sweep keeps queued and running at least (see propose). */
  public static final int QUEUE_AHEAD = 1_000;

  private final SweepRepository sweeps;
  private final TrialRepository trials;
  private final Event<TrialsQueued> trialsQueued;
  private final Map<String, SearchStrategy> strategies = new ConcurrentHashMap<>();

  TrialQueue(SweepRepository sweeps, TrialRepository trials, Event<TrialsQueued> trialsQueued) {
    this.sweeps = sweeps;
    this.trials = trials;
    this.trialsQueued = trialsQueued;
  }

  /**
   * Queues the trials the search wants now. For TPE only enough to keep parallel_trials busy, so
   * each proposal sees the latest results. Grid, random and Sobol do not learn from results, but a
   * sweep may have millions of trials: they keep a window of {@link #queueAhead} trials queued and
   * running, refilled once half of it has ended, so memory and the store grow with the window, not
   * with max_trials.
   */
  int propose(SweepRecord sweep, SweepSpec spec) {
    int created = trials.countAll(sweep.id());
    if (created >= sweep.maxTrials()) {
      sweeps.updateSearch(sweep.id(), sweep.nextProposal(), true);
      return 0;
    }
    int want = sweep.maxTrials() - created;
    int active = trials.countIn(sweep.id(), TrialState.QUEUED, TrialState.RUNNING);
    if (spec.method() == SearchMethod.TPE) {
      want = Math.min(want, Math.max(0, sweep.parallelTrials() - active));
    } else {
      int window = queueAhead(sweep);
      if (active > window / 2) {
        return 0; // refilled once half the window has ended
      }
      want = Math.min(want, window - active);
    }
    if (want == 0) {
      return 0;
    }
    List<TrialRepository.Searched> existing = trials.searchedOf(sweep.id());
    SearchStrategy strategy =
        strategies.computeIfAbsent(
            sweep.id(), id -> spec.method().strategy(spec.searchSpace(), spec.seed()));
    Set<String> seen = new HashSet<>();
    List<Observation> observations = new ArrayList<>();
    for (TrialRepository.Searched t : existing) {
      seen.add(t.configHash());
      if (t.state() == TrialState.COMPLETED && t.objective() != null) {
        observations.add(
            new Observation(
                Point.fromCanonicalJson(t.paramsJson()),
                Objectives.oriented(t.objective(), sweep.maximize())));
      }
    }
    int maxAttempts = Math.max(1_000, 20 * want);
    List<Proposal> proposals =
        Proposals.nextIndexed(
            strategy, sweep.nextProposal(), want, seen, observations, maxAttempts);
    long now = System.currentTimeMillis();
    int number = created;
    List<TrialRecord> queued = new ArrayList<>(proposals.size());
    for (Proposal p : proposals) {
      Integer gridIndex = strategy instanceof GridSearch grid ? grid.gridIndex(p.index()) : null;
      queued.add(
          queuedTrial(
              sweep,
              spec,
              number++,
              p.index(),
              gridIndex,
              p.point(),
              spec.seed() + p.index(),
              now));
    }
    trials.insert(queued);
    if (!proposals.isEmpty()) {
      trialsQueued.fire(new TrialsQueued(sweep.id()));
    }
    int next =
        proposals.isEmpty()
            ? sweep.nextProposal() + maxAttempts
            : proposals.get(proposals.size() - 1).index() + 1;
    // Exhausted: the space is used up, or every trial the budget allows now exists.
    sweeps.updateSearch(
        sweep.id(),
        next,
        proposals.size() < want || created + proposals.size() >= sweep.maxTrials());
    return proposals.size();
  }

  /**
   * How many trials of a grid, random or Sobol sweep are kept queued and running at most: {@link
   * #QUEUE_AHEAD}, or four times parallel_trials when that is more.
   */
  private static int queueAhead(SweepRecord sweep) {
    return (int) Math.min(Integer.MAX_VALUE, Math.max(QUEUE_AHEAD, 4L * sweep.parallelTrials()));
  }

  /** Queues the warm-start configurations (within max_trials), best first. */
  void queueWarmStart(SweepRecord sweep, SweepSpec spec, List<WarmStart> warm, long now) {
    int n = Math.min(warm.size(), sweep.maxTrials());
    List<TrialRecord> queued = new ArrayList<>(n);
    for (int i = 0; i < n; i++) {
      WarmStart w = warm.get(i);
      queued.add(queuedTrial(sweep, spec, i, -1 - i, null, w.point(), w.seed(), now));
    }
    trials.insert(queued);
  }

  /** A new queued trial of the sweep for one configuration, its spec resolved. */
  private static TrialRecord queuedTrial(
      SweepRecord sweep,
      SweepSpec spec,
      int number,
      int proposalIndex,
      Integer gridIndex,
      Point point,
      long seed,
      long now) {
    String id = UUID.randomUUID().toString();
    TrialSpec trial = TrialSpecs.toTrialSpec(spec, point, sweep.sourceGroups(), id, seed);
    return new TrialRecord(
        id,
        sweep.id(),
        number,
        proposalIndex,
        gridIndex,
        point.hash(),
        point.canonicalJson(),
        trial.toJson(),
        TrialState.QUEUED,
        0,
        null,
        null,
        null,
        0,
        null,
        null,
        now,
        null,
        null);
  }

  /** Drops the search strategy of a sweep that ended. */
  void forget(String sweepId) {
    strategies.remove(sweepId);
  }
}
