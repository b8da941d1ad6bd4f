package dev.thaw.orchestrator.mlflow;

import dev.thaw.api.SweepState;
import dev.thaw.mlflow.RunStatus;
import dev.thaw.mlflow.TrackedRun;
import dev.thaw.mlflow.Tracker;
import dev.thaw.orchestrator.store.SweepRecord;
import dev.thaw.orchestrator.store.SweepRepository;
import dev.thaw.orchestrator.store.TrialRepository;
import dev.thaw.protocol.MlflowTracking;
import dev.thaw.sweep.SweepLoader;
import dev.thaw.sweep.SweepSpec;
import io.quarkus.narayana.jta.QuarkusTransaction;
import jakarta.enterprise.context.ApplicationScoped;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.time.ZoneId;
import java.time.format.DateTimeFormatter;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicBoolean;
import org.jboss.logging.Logger;

/**
 * A sweep's parent run in MLflow: one experiment per sweep name (or the file's {@code
 * mlflow.experiment}), one parent run per sweep execution holding the search settings as params,
 * the sweep file as artifact {@code sweep.yaml} and the best objective so far as metric {@code
 * best_objective}. Workers nest one child run per trial attempt under it ({@link #forLease}).
 *
 * <p>The server is the sweep file's {@code mlflow.tracking_uri}, else {@code
 * thaw.mlflow.tracking-uri} ({@code MLFLOW_TRACKING_URI}); with neither, nothing is tracked and the
 * first such sweep says so in the log. Tracking never fails a sweep: the trackers spool and retry.
 */
@ApplicationScoped
public class SweepRuns {
  private static final Logger LOG = Logger.getLogger(SweepRuns.class);
  private static final DateTimeFormatter START =
      DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm:ss").withZone(ZoneId.systemDefault());

  private final MlflowSettings settings;
  private final Trackers trackers;
  private final SweepRepository sweeps;
  private final TrialRepository trials;
  private final RunChores chores;
  private final Map<String, TrackedRun> parents = new ConcurrentHashMap<>();
  private final Map<String, OrphanChildRuns> orphans = new ConcurrentHashMap<>();
  private final AtomicBoolean saidOff = new AtomicBoolean();

  SweepRuns(
      MlflowSettings settings,
      Trackers trackers,
      SweepRepository sweeps,
      TrialRepository trials,
      RunChores chores) {
    this.settings = settings;
    this.trackers = trackers;
    this.sweeps = sweeps;
    this.trials = trials;
    this.chores = chores;
  }

  /** The MLflow server of a sweep, or empty when it is not tracked. */
  public Optional<String> trackingUri(SweepSpec spec) {
    String fromFile = spec.mlflow() == null ? null : spec.mlflow().trackingUri();
    if (fromFile != null && !fromFile.isBlank()) {
      return Optional.of(fromFile.strip());
    }
    return settings.trackingUri().map(String::strip).filter(uri -> !uri.isBlank());
  }

  /**
   * Starts the parent run of a sweep about to be stored and waits up to {@code
   * thaw.mlflow.parent-wait} for the server to create it.
   *
   * @param extraTags more tags for the parent run (a schedule's id, the execution's number)
   * @return the server's run id, or null when the sweep is not tracked or the server has not
   *     answered in time (the id is then recorded at a later lease)
   */
  public String start(
      String sweepId,
      SweepSpec spec,
      String yaml,
      long startMillis,
      Map<String, String> extraTags) {
    Optional<String> uri = trackingUri(spec);
    if (uri.isEmpty()) {
      if (saidOff.compareAndSet(false, true)) {
        LOG.infof(
            "MLflow tracking is off: sweep '%s' sets no mlflow.tracking_uri and neither"
                + " thaw.mlflow.tracking-uri nor MLFLOW_TRACKING_URI is set; nothing is tracked"
                + " (said once)",
            spec.name());
      }
      return null;
    }
    Tracker tracker = trackers.forUri(uri.get());
    String runName = spec.name() + " " + START.format(Instant.ofEpochMilli(startMillis));
    Map<String, String> tags = new LinkedHashMap<>();
    tags.put("thaw.sweep_id", sweepId);
    tags.put("thaw.method", spec.method().key());
    tags.putAll(extraTags);
    TrackedRun parent = tracker.startRun(tracker.experiment(experiment(spec)), runName, null, tags);
    parents.put(sweepId, parent);
    tracker.logParams(parent, searchParams(spec));
    uploadSweepFile(tracker, parent, yaml);
    LOG.infof(
        "sweep '%s' tracked in MLflow %s, experiment '%s'",
        spec.name(), uri.get(), experiment(spec));
    try {
      return parent.awaitServerId(settings.parentWait()).orElse(null);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return null;
    }
  }

  /** Ends the parent run of a sweep that could not be stored after {@link #start}. */
  public void abandon(String sweepId, SweepSpec spec) {
    TrackedRun parent = parents.remove(sweepId);
    if (parent != null) {
      trackingUri(spec).ifPresent(uri -> trackers.forUri(uri).endRun(parent, RunStatus.FAILED));
    }
  }

  /**
   * Where a lease of the sweep tracks its attempt, or null when the sweep is not tracked. Records
   * the parent's server id in the store once the server has made it known. While it is not known,
   * the worker starts its child run at the top level and a background chore nests it under the
   * parent once both are on the server ({@link OrphanChildRuns}).
   */
  public MlflowTracking forLease(SweepRecord sweep, SweepSpec spec) {
    Optional<String> uri = trackingUri(spec);
    if (uri.isEmpty()) {
      return null;
    }
    String parentId = sweep.mlflowParentRunId();
    if (parentId == null) {
      TrackedRun parent = parents.get(sweep.id());
      parentId = parent == null ? null : parent.serverId().orElse(null);
      if (parentId != null) {
        sweeps.setMlflowParentRunId(sweep.id(), parentId);
      } else if (parent != null) {
        Tracker tracker = trackers.forUri(uri.get());
        OrphanChildRuns chore =
            orphans.computeIfAbsent(
                sweep.id(),
                id ->
                    new OrphanChildRuns(tracker, tracker.experiment(experiment(spec)), id, parent));
        chore.leasedWithoutParent();
        chores.submit(chore.toString(), chore);
      }
    }
    return new MlflowTracking(uri.get(), experiment(spec), parentId);
  }

  /**
   * Marks the child run of a lost attempt (its lease expired: the worker died or went silent)
   * FAILED, in the background: returns at once and never throws. The run is found by its lease id
   * tag once the dying worker's spool got it to the server; a run that already ended is left as it
   * is.
   */
  public void attemptLost(String leaseId, String trialId, int attempt, String workerId) {
    String reason =
        "attempt "
            + attempt
            + " lost: worker "
            + workerId
            + " sent no heartbeat before its lease expired";
    RunChores.Chore resolve =
        new RunChores.Chore() {
          private LostAttemptRun marker;

          @Override
          public boolean attempt() throws IOException {
            if (marker == null) {
              Optional<LostAttemptRun> tracked = lostAttemptRun(leaseId, trialId, reason);
              if (tracked.isEmpty()) {
                return true; // the sweep is not tracked
              }
              marker = tracked.get();
            }
            return marker.attempt();
          }
        };
    chores.submit("mark the MLflow run of lost lease " + leaseId + " FAILED", resolve);
  }

  private Optional<LostAttemptRun> lostAttemptRun(String leaseId, String trialId, String reason) {
    SweepRecord sweep =
        QuarkusTransaction.requiringNew()
            .call(() -> trials.find(trialId).flatMap(t -> sweeps.find(t.sweepId())).orElse(null));
    if (sweep == null) {
      return Optional.empty();
    }
    SweepSpec spec = SweepLoader.load(sweep.specYaml()).spec();
    return trackingUri(spec)
        .map(trackers::forUri)
        .map(
            tracker ->
                new LostAttemptRun(tracker, tracker.experiment(experiment(spec)), leaseId, reason));
  }

  /** Logs the best objective so far on the parent run, at step {@code trialsEnded}. */
  public void bestSoFar(SweepRecord sweep, SweepSpec spec, double best, int trialsEnded) {
    parent(sweep, spec)
        .ifPresent(
            p ->
                trackers
                    .forUri(trackingUri(spec).orElseThrow())
                    .logMetric(p, "best_objective", best, trialsEnded, System.currentTimeMillis()));
  }

  /** Sets tags on the sweep's parent run (nothing when it is not tracked). */
  public void tag(SweepRecord sweep, SweepSpec spec, Map<String, String> tags) {
    parent(sweep, spec)
        .ifPresent(p -> trackers.forUri(trackingUri(spec).orElseThrow()).setTags(p, tags));
  }

  /** Ends the parent run: FINISHED, FAILED or KILLED (cancelled). */
  public void ended(SweepRecord sweep, SweepSpec spec, SweepState state) {
    Optional<TrackedRun> parent = parent(sweep, spec);
    parents.remove(sweep.id());
    orphans.remove(sweep.id());
    parent.ifPresent(
        p ->
            trackers
                .forUri(trackingUri(spec).orElseThrow())
                .endRun(
                    p,
                    switch (state) {
                      case COMPLETED -> RunStatus.FINISHED;
                      case CANCELLED -> RunStatus.KILLED;
                      default -> RunStatus.FAILED;
                    }));
  }

  /** The parent run: the one started here, or the stored one (after a restart). */
  private Optional<TrackedRun> parent(SweepRecord sweep, SweepSpec spec) {
    Optional<String> uri = trackingUri(spec);
    if (uri.isEmpty()) {
      return Optional.empty();
    }
    TrackedRun started = parents.get(sweep.id());
    if (started != null) {
      return Optional.of(started);
    }
    if (sweep.mlflowParentRunId() == null) {
      return Optional.empty();
    }
    return Optional.of(
        parents.computeIfAbsent(
            sweep.id(), id -> trackers.forUri(uri.get()).attach(sweep.mlflowParentRunId())));
  }

  /** The MLflow experiment of a sweep: its file's {@code mlflow.experiment}, else its name. */
  public static String experiment(SweepSpec spec) {
    String name = spec.mlflow() == null ? null : spec.mlflow().experiment();
    return name == null || name.isBlank() ? spec.name() : name;
  }

  private static Map<String, String> searchParams(SweepSpec spec) {
    Map<String, String> params = new LinkedHashMap<>();
    params.put("method", spec.method().key());
    params.put("max_trials", String.valueOf(spec.maxTrials()));
    params.put("parallel_trials", Integer.toString(spec.parallelTrials()));
    params.put("seed", Long.toString(spec.seed()));
    params.put(
        "early_termination",
        spec.earlyTermination() == null ? "none" : spec.earlyTermination().type());
    params.put("objective", spec.objective().metric().key());
    params.put("objective_goal", spec.objective().goal().key());
    return params;
  }

  private static void uploadSweepFile(Tracker tracker, TrackedRun parent, String yaml) {
    try {
      Path file = Files.createTempFile("thaw-sweep", ".yaml");
      try {
        Files.writeString(file, yaml);
        tracker.uploadArtifact(parent, "sweep.yaml", file);
      } finally {
        Files.deleteIfExists(file);
      }
    } catch (IOException e) {
      LOG.warnf(
          "%s gets no sweep.yaml artifact: cannot write the sweep file to a temp file (%s)",
          parent, e.getMessage());
    }
  }
}
