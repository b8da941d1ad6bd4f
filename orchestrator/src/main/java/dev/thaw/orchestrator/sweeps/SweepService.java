package dev.thaw.orchestrator.sweeps;

import dev.thaw.api.SweepState;
import dev.thaw.api.TrialState;
import dev.thaw.orchestrator.mlflow.SweepRuns;
import dev.thaw.orchestrator.mlflow.TrackingServers;
import dev.thaw.orchestrator.store.SweepRecord;
import dev.thaw.orchestrator.store.SweepRepository;
import dev.thaw.orchestrator.store.TrialRecord;
import dev.thaw.orchestrator.store.TrialRepository;
import dev.thaw.protocol.StopRequest;
import dev.thaw.sweep.InvalidSweepException;
import dev.thaw.sweep.ParameterCodec;
import dev.thaw.sweep.SweepError;
import dev.thaw.sweep.SweepLoader;
import dev.thaw.sweep.SweepSpec;
import dev.thaw.sweep.space.Point;
import dev.thaw.trial.ParameterName;
import io.quarkus.narayana.jta.QuarkusTransaction;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Event;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.OptionalInt;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import org.jboss.logging.Logger;

/**
 * Sweeps: submission (validate, store, queue the first trials through the {@link TrialQueue}), more
 * trials as results come in, and the end of a sweep (all trials done, target reached, too many
 * failures, cancelled). Every method runs in its own transaction unless called inside one.
 */
@ApplicationScoped
public class SweepService {
  private static final Logger LOG = Logger.getLogger(SweepService.class);

  private final SweepRepository sweeps;
  private final TrialRepository trials;
  private final SourceGroups sourceGroups;
  private final TrackingServers trackingServers;
  private final SweepRuns sweepRuns;
  private final TrialQueue queue;
  private final Event<SweepSubmitted> sweepSubmitted;
  private final Event<SweepEnded> sweepEnded;
  private final Map<String, SweepSpec> specs = new ConcurrentHashMap<>();

  SweepService(
      SweepRepository sweeps,
      TrialRepository trials,
      SourceGroups sourceGroups,
      TrackingServers trackingServers,
      SweepRuns sweepRuns,
      TrialQueue queue,
      Event<SweepSubmitted> sweepSubmitted,
      Event<SweepEnded> sweepEnded) {
    this.sweeps = sweeps;
    this.trials = trials;
    this.sourceGroups = sourceGroups;
    this.trackingServers = trackingServers;
    this.sweepRuns = sweepRuns;
    this.queue = queue;
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
    if (groups.isEmpty() && ParameterCodec.mayFreezeAll(spec.searchSpace())) {
      throw new InvalidSweepException(
          origin,
          List.of(
              SweepError.at(
                  "parameters." + ParameterName.FREEZE_DEPTH.key(),
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
    String parentRunId = sweepRuns.start(id, spec, yaml, now, tags);
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
                  queue.queueWarmStart(record, spec, execution.warmStart(), now);
                }
                queue.propose(record, spec);
                sweepSubmitted.fire(new SweepSubmitted(record.id()));
                LOG.infof(
                    "sweep %s (%s) submitted: %s, max_trials %d",
                    record.name(), record.id(), record.method(), record.maxTrials());
                return sweeps.find(record.id()).orElseThrow();
              });
    } catch (RuntimeException e) {
      sweepRuns.abandon(id, spec);
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
      queue.propose(sweep, spec(sweep)); // more trials, or it records the search has nothing left
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
    if (sweepRuns.trackingUri(spec(sweep)).isEmpty()) {
      return; // not tracked: spare the hot path the query
    }
    TrialRepository.Ended ended = trials.endedSummary(sweep.id(), sweep.maximize());
    if (ended.best() != null) {
      sweepRuns.bestSoFar(sweep, spec(sweep), ended.best(), ended.count());
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
    sweepRuns.ended(sweep, spec, state);
    trials.cancelQueued(sweepId, "sweep " + state.name().toLowerCase() + ": " + reason, now);
    trials.requestStopAll(
        sweepId,
        StopRequest.ofEndedSweep(state),
        "sweep " + state.name().toLowerCase() + ": " + reason);
    specs.remove(sweepId);
    queue.forget(sweepId);
    LOG.infof("sweep %s %s: %s", sweepId, state, reason);
    return true;
  }
}
