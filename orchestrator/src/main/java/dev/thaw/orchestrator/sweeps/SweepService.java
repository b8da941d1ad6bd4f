package dev.thaw.orchestrator.sweeps;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.thaw.json.ThawJson;
import dev.thaw.orchestrator.store.StopRequest;
import dev.thaw.orchestrator.store.SweepRecord;
import dev.thaw.orchestrator.store.SweepRepository;
import dev.thaw.orchestrator.store.TrialRecord;
import dev.thaw.orchestrator.store.TrialRepository;
import dev.thaw.orchestrator.tracking.SweepTracking;
import dev.thaw.orchestrator.tracking.TrackingServers;
import dev.thaw.sweep.InvalidSweepException;
import dev.thaw.sweep.SweepError;
import dev.thaw.sweep.SweepLoader;
import dev.thaw.sweep.SweepSpec;
import dev.thaw.sweep.TrialSpecs;
import dev.thaw.sweep.api.SweepState;
import dev.thaw.sweep.api.TrialState;
import dev.thaw.sweep.search.GridSearch;
import dev.thaw.sweep.search.Proposals;
import dev.thaw.sweep.search.Proposals.Proposal;
import dev.thaw.sweep.search.SearchMethod;
import dev.thaw.sweep.search.SearchStrategies;
import dev.thaw.sweep.search.SearchStrategy;
import dev.thaw.sweep.search.SearchStrategy.Observation;
import dev.thaw.sweep.space.Domain;
import dev.thaw.sweep.space.Point;
import dev.thaw.trial.TrialSpec;
import io.quarkus.narayana.jta.QuarkusTransaction;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Event;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.OptionalInt;
import java.util.Set;
import java.util.TreeMap;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import org.jboss.logging.Logger;

/**
 * Sweeps: submission (validate, store, queue the first trials), the search that proposes more
 * trials as results come in, and the end of a sweep (all trials done, target reached, too many
 * failures, cancelled). Every method runs in its own transaction unless called inside one.
 */
@ApplicationScoped
public class SweepService {
  private static final Logger LOG = Logger.getLogger(SweepService.class);

  /** Trials a grid, random or Sobol sweep keeps queued and running at least (see propose). */
  public static final int QUEUE_AHEAD = 1_000;

  private final SweepRepository sweeps;
  private final TrialRepository trials;
  private final SourceGroups sourceGroups;
  private final TrackingServers trackingServers;
  private final SweepTracking tracking;
  private final Event<TrialsQueued> trialsQueued;
  private final Event<SweepSubmitted> sweepSubmitted;
  private final Event<SweepEnded> sweepEnded;
  private final Map<String, SweepSpec> specs = new ConcurrentHashMap<>();
  private final Map<String, SearchStrategy> strategies = new ConcurrentHashMap<>();

  SweepService(
      SweepRepository sweeps,
      TrialRepository trials,
      SourceGroups sourceGroups,
      TrackingServers trackingServers,
      SweepTracking tracking,
      Event<TrialsQueued> trialsQueued,
      Event<SweepSubmitted> sweepSubmitted,
      Event<SweepEnded> sweepEnded) {
    this.sweeps = sweeps;
    this.trials = trials;
    this.sourceGroups = sourceGroups;
    this.trackingServers = trackingServers;
    this.tracking = tracking;
    this.trialsQueued = trialsQueued;
    this.sweepSubmitted = sweepSubmitted;
    this.sweepEnded = sweepEnded;
  }

  /**
   * A sweep started by a schedule.
   *
   * @param scheduleId the schedule
   * @param number the execution's number (1, 2, ...), unique per schedule
   * @param warmStart configurations to queue before the search proposes any (the previous
   *     execution's best first); the search then skips their configuration hashes
   */
  public record Execution(String scheduleId, int number, List<WarmStart> warmStart) {
    public Execution {
      warmStart = List.copyOf(warmStart);
    }
  }

  /**
   * A configuration re-run at the start of an execution.
   *
   * @param point the configuration
   * @param seed the seed it trained with before
   */
  public record WarmStart(Point point, long seed) {}

  /**
   * Validates and stores a sweep file and queues its first trials.
   *
   * @param origin where the text came from, for error messages
   * @throws InvalidSweepException with every error; nothing is stored then
   */
  public SweepRecord submit(String yaml, String origin) {
    return submit(yaml, origin, null);
  }

  /**
   * Like {@link #submit(String, String)}, for an execution of a schedule: the sweep is linked to
   * its schedule, its MLflow parent run is tagged with the schedule, and the warm-start
   * configurations are queued first (trials with negative proposal indices: -1 for the first).
   */
  public SweepRecord submit(String yaml, String origin, Execution execution) {
    SweepLoader.Loaded loaded = SweepLoader.load(yaml);
    List<SweepError> errors = new ArrayList<>(sourceGroups.validator().validate(loaded));
    errors.addAll(trackingServers.check(loaded));
    if (!errors.isEmpty()) {
      throw new InvalidSweepException(origin, errors);
    }
    SweepSpec spec = loaded.spec();
    OptionalInt groups = sourceGroups.of(spec.task().sourceModel());
    if (groups.isEmpty() && usesAll(spec)) {
      throw new InvalidSweepException(
          origin,
          List.of(
              SweepError.at(
                  "parameters.freeze_depth",
                  "'all' needs the source model's layer-group count, which cannot be read for "
                      + spec.task().sourceModel()
                      + "; list depths as numbers or set thaw.sweeps.source-groups")));
    }
    long now = System.currentTimeMillis();
    String id = UUID.randomUUID().toString();
    // The parent run first: trials may be leased as soon as the transaction commits.
    Map<String, String> tags =
        execution == null
            ? Map.of()
            : Map.of(
                "thaw.schedule_id",
                execution.scheduleId(),
                "thaw.execution",
                Integer.toString(execution.number()));
    String parentRunId = tracking.start(id, spec, yaml, now, tags);
    SweepRecord record =
        new SweepRecord(
            id,
            spec.name(),
            SweepState.RUNNING,
            spec.method().key(),
            spec.objective().metric().key(),
            spec.objective().goal() == SweepSpec.Goal.MAXIMIZE,
            spec.objective().target(),
            spec.maxTrials(),
            spec.parallelTrials(),
            spec.maxFailedTrials(),
            spec.retries(),
            spec.seed(),
            groups.orElse(-1),
            0,
            false,
            yaml,
            now,
            null,
            null,
            parentRunId);
    try {
      return QuarkusTransaction.joiningExisting()
          .call(
              () -> {
                sweeps.insert(record);
                specs.put(record.id(), spec);
                if (execution != null) {
                  sweeps.linkExecution(record.id(), execution.scheduleId(), execution.number());
                  queueWarmStart(record, spec, execution.warmStart(), now);
                }
                propose(record);
                sweepSubmitted.fire(new SweepSubmitted(record.id()));
                LOG.infof(
                    "sweep %s (%s) submitted: %s, max_trials %d",
                    record.name(), record.id(), record.method(), record.maxTrials());
                return sweeps.find(record.id()).orElseThrow();
              });
    } catch (RuntimeException e) {
      tracking.abandon(id, spec);
      throw e;
    }
  }

  /** The parsed spec of a stored sweep (cached). */
  public SweepSpec spec(SweepRecord sweep) {
    return specs.computeIfAbsent(sweep.id(), id -> SweepLoader.load(sweep.specYaml()).spec());
  }

  /**
   * Cancels a running sweep: queued trials are cancelled, running ones are told to stop on their
   * next heartbeat.
   *
   * @return false if the sweep had already ended
   */
  public boolean cancel(String sweepId) {
    return QuarkusTransaction.joiningExisting()
        .call(() -> end(sweepId, SweepState.CANCELLED, "cancelled by a user"));
  }

  /**
   * After one of the sweep's trials ended: ends the sweep if its target was reached or too many
   * trials failed, and proposes more trials if the search wants to. Call inside the transaction
   * that ended the trial; once it commits, call {@link #completeIfDone(String)} if none of the
   * sweep's trials may be queued or running any more. (Checked in here, a trial that another
   * transaction is ending at the same time would still look running.)
   */
  public void afterTrialEnded(String sweepId, EndedTrial ended) {
    SweepRecord sweep = sweeps.find(sweepId).orElseThrow();
    trackBest(sweep);
    if (sweep.state().ended()) {
      return;
    }
    if (ended.objective() != null
        && sweep.objectiveTarget() != null
        && ended.state() != TrialState.FAILED
        && Objectives.reaches(ended.objective(), sweep.objectiveTarget(), sweep.maximize())) {
      end(
          sweepId,
          SweepState.COMPLETED,
          "target reached: trial #"
              + ended.number()
              + " "
              + sweep.objectiveMetric()
              + " "
              + ended.objective()
              + (sweep.maximize() ? " >= " : " <= ")
              + sweep.objectiveTarget());
      return;
    }
    if (ended.state() == TrialState.FAILED) {
      int failed = trials.countIn(sweepId, TrialState.FAILED);
      if (failed >= sweep.maxFailedTrials()) {
        end(
            sweepId,
            SweepState.FAILED,
            failed
                + " trials failed (max_failed_trials "
                + sweep.maxFailedTrials()
                + "); last: trial #"
                + ended.number()
                + ": "
                + ended.reason());
        return;
      }
    }
    if (!sweep.exhausted()) {
      propose(sweep); // more trials, or it records that the search has nothing left
    }
  }

  /**
   * In a transaction of its own: ends the sweep as COMPLETED if it is still running, exhausted and
   * has no trial queued or running (see {@link #completeIfDone(SweepRecord)}). For after the commit
   * of a trial's end (see {@link #afterTrialEnded}).
   */
  public void completeIfDone(String sweepId) {
    QuarkusTransaction.requiringNew()
        .run(
            () ->
                sweeps
                    .find(sweepId)
                    .filter(s -> s.state() == SweepState.RUNNING)
                    .ifPresent(this::completeIfDone));
  }

  /**
   * Ends the sweep when the search has nothing more to propose ({@code exhausted}: every trial
   * created, or the space used up) and no trial is queued or running: COMPLETED when a trial
   * produced a result, FAILED when every trial failed (a sweep of failures has no best trial, and
   * {@code thaw sweep submit --watch} must not exit 0 on it).
   */
  private void completeIfDone(SweepRecord sweep) {
    if (!sweep.exhausted() || trials.anyActive(sweep.id())) {
      return;
    }
    int all = trials.countAll(sweep.id());
    int failed = trials.countIn(sweep.id(), TrialState.FAILED);
    if (failed > 0 && failed == all) {
      String last =
          trials.ofSweep(sweep.id()).stream()
              .filter(t -> t.state() == TrialState.FAILED)
              .max(java.util.Comparator.comparingInt(TrialRecord::number))
              .map(t -> "; last: trial #" + t.number() + ": " + t.reason())
              .orElse("");
      end(
          sweep.id(),
          SweepState.FAILED,
          "every trial failed (" + failed + " of " + all + "), none produced a result" + last);
      return;
    }
    end(sweep.id(), SweepState.COMPLETED, "all " + all + " trials ended");
  }

  /** Logs the best objective of the sweep's ended trials on its MLflow parent run. */
  private void trackBest(SweepRecord sweep) {
    if (tracking.trackingUri(spec(sweep)).isEmpty()) {
      return; // not tracked: spare the hot path the query
    }
    TrialRepository.Ended ended = trials.endedSummary(sweep.id(), sweep.maximize());
    if (ended.best() != null) {
      tracking.bestSoFar(sweep, spec(sweep), ended.best(), ended.count());
    }
  }

  private boolean end(String sweepId, SweepState state, String reason) {
    long now = System.currentTimeMillis();
    SweepRecord sweep = sweeps.find(sweepId).orElseThrow();
    SweepSpec spec = spec(sweep);
    if (!sweeps.end(sweepId, state, reason, now)) {
      return false;
    }
    // Plain observers see the ended sweep inside this transaction, its MLflow run still open;
    // transactional ones after it commits.
    sweepEnded.fire(new SweepEnded(sweepId, state));
    tracking.ended(sweep, spec, state);
    trials.cancelQueued(sweepId, "sweep " + state.name().toLowerCase() + ": " + reason, now);
    trials.requestStopAll(
        sweepId,
        StopRequest.ofEndedSweep(state),
        "sweep " + state.name().toLowerCase() + ": " + reason);
    specs.remove(sweepId);
    strategies.remove(sweepId);
    LOG.infof("sweep %s %s: %s", sweepId, state, reason);
    return true;
  }

  /**
   * Queues the trials the search wants now. For TPE only enough to keep parallel_trials busy, so
   * each proposal sees the latest results. Grid, random and Sobol do not learn from results, but a
   * sweep may have millions of trials: they keep a window of {@link #queueAhead} trials queued and
   * running, refilled once half of it has ended, so memory and the store grow with the window, not
   * with max_trials.
   */
  private int propose(SweepRecord sweep) {
    int created = trials.countAll(sweep.id());
    if (created >= sweep.maxTrials()) {
      sweeps.updateSearch(sweep.id(), sweep.nextProposal(), true);
      return 0;
    }
    SweepSpec spec = spec(sweep);
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
            sweep.id(),
            id -> SearchStrategies.create(spec.method(), spec.searchSpace(), spec.seed()));
    Set<String> seen = new HashSet<>();
    List<Observation> observations = new ArrayList<>();
    for (TrialRepository.Searched t : existing) {
      seen.add(t.configHash());
      if (t.state() == TrialState.COMPLETED && t.objective() != null) {
        observations.add(
            new Observation(
                point(t.paramsJson()), Objectives.oriented(t.objective(), sweep.maximize())));
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
  private void queueWarmStart(SweepRecord sweep, SweepSpec spec, List<WarmStart> warm, long now) {
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

  /** Whether freeze_depth can be {@code all}, which needs the group count to resolve. */
  private static boolean usesAll(SweepSpec spec) {
    return switch (spec.searchSpace().dimensions().get("freeze_depth")) {
      case null -> false;
      case Domain.Fixed f -> f.value().isTextual();
      case Domain.Categorical c -> c.values().stream().anyMatch(JsonNode::isTextual);
      default -> false;
    };
  }

  static Point point(String paramsJson) {
    try {
      ObjectNode node = (ObjectNode) ThawJson.mapper().readTree(paramsJson);
      Map<String, JsonNode> values = new TreeMap<>();
      node.properties().forEach(e -> values.put(e.getKey(), e.getValue()));
      return new Point(values);
    } catch (java.io.IOException e) {
      throw new IllegalStateException("stored params are not JSON: " + paramsJson, e);
    }
  }
}
