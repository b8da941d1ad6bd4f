package dev.thaw.mlflow;

import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;

/**
 * Thaw's MLflow tracking: experiments, (nested) runs, params, metrics, tags, artifacts and run
 * status, sent to a real MLflow server without ever making the caller wait for it.
 *
 * <p>Every call returns at once: it appends the operation to a journal on disk (the spool) and a
 * background thread sends the journal, in order, in {@code logBatch} requests within MLflow's
 * limits. When the server is down or slow, operations stay in the spool and go out when it is back;
 * a tracker opened later on the same spool directory sends what an earlier process left. Nothing is
 * sent twice (see {@link SpoolSender} for the one remaining case). Runs are addressed by local
 * {@link TrackedRun} handles that learn their server id once the server has created the run.
 *
 * <p>Create one tracker per process and tracking URI, with {@link #open(TrackerConfig)}, {@link
 * #fromEnvironment()} or, when nothing is configured, {@link #disabled()}, which does nothing (and
 * says so once). Thread-safe. Tracking never throws at the caller for a server or disk problem; it
 * logs them. It throws {@link IllegalArgumentException} for invalid arguments only.
 */
public interface Tracker extends AutoCloseable {

  /**
   * Opens a tracker on a server: resumes the spool if {@link TrackerConfig#spoolDir()} holds one
   * and starts the sender thread. Does not contact the server.
   *
   * @throws IOException when the spool directory cannot be used (unwritable, or in use by another
   *     open tracker)
   */
  static Tracker open(TrackerConfig config) throws IOException {
    return SpoolingTracker.open(config);
  }

  /** A tracker that records nothing; logs once that tracking is off. */
  static Tracker disabled() {
    return DisabledTracker.INSTANCE.announce();
  }

  /**
   * A tracker on {@code $MLFLOW_TRACKING_URI} (bearer token from {@code $MLFLOW_TRACKING_TOKEN}),
   * with a spool under {@link TrackerConfig#defaultSpoolDir()}; {@link #disabled()} when the
   * variable is unset or blank.
   *
   * @throws IOException when the spool directory cannot be used
   * @throws IllegalArgumentException when the variable holds no http(s) URI
   */
  static Tracker fromEnvironment() throws IOException {
    String uri = System.getenv(TrackerConfig.URI_ENV);
    if (uri == null || uri.isBlank()) {
      return disabled();
    }
    String token = System.getenv(TrackerConfig.TOKEN_ENV);
    return open(TrackerConfig.of(uri).withToken(token == null || token.isBlank() ? null : token));
  }

  /** False for {@link #disabled()}. */
  boolean enabled();

  /** The experiment called {@code name}; created on the server with its first run if missing. */
  TrackedExperiment experiment(String name);

  /**
   * Starts a run (status RUNNING, start time now).
   *
   * @param runName the name shown in the MLflow UI
   * @param parent the parent run (tag {@code mlflow.parentRunId}), or null for a top-level run; a
   *     run of another process is reached with {@link #attach(String)}
   * @param tags more tags, may be empty
   */
  TrackedRun startRun(
      TrackedExperiment experiment, String runName, TrackedRun parent, Map<String, String> tags);

  /**
   * A handle on a run that exists on the server already (e.g. the sweep's parent run, created by
   * the orchestrator), to nest runs under it, log to it or end it.
   */
  TrackedRun attach(String serverRunId);

  /** Logs params (each key once per run; MLflow refuses a changed value). */
  void logParams(TrackedRun run, Map<String, String> params);

  /** Logs one point of a metric's history. */
  void logMetric(TrackedRun run, String key, double value, long step, long timestampMillis);

  /** Logs several metrics at the same step and time, e.g. one epoch's. */
  void logMetrics(TrackedRun run, Map<String, Double> values, long step, long timestampMillis);

  /** Sets tags (a later value replaces an earlier one). */
  void setTags(TrackedRun run, Map<String, String> tags);

  /**
   * Uploads a file to the run's artifacts through the server's artifact proxy (no Python needed).
   * The file is copied into the spool now, so it may change or go away afterwards.
   *
   * @param relativePath where in the run's artifacts, with '/' separators, e.g. {@code
   *     curves/learning-curve.png}
   */
  void uploadArtifact(TrackedRun run, String relativePath, Path file);

  /**
   * Asks the server now, past the spool, for the runs of an experiment that match an MLflow search
   * filter, e.g. {@code tags.`thaw.lease_id` = 'abc'}. Waits at most {@link
   * TrackerConfig#requestTimeout()}. What is still in the spool is not seen.
   *
   * @return at most 1000 active (not deleted) runs; empty when the experiment does not exist or
   *     tracking is off
   * @throws IOException when the server cannot be reached or refuses the search (e.g. a bad filter)
   */
  List<FoundRun> searchRuns(TrackedExperiment experiment, String filter) throws IOException;

  /** Ends the run with {@code status} and end time now. */
  void endRun(TrackedRun run, RunStatus status);

  /**
   * Waits until every operation made so far is acknowledged by the server.
   *
   * @return true when all went out, false on timeout
   */
  boolean flush(Duration timeout) throws InterruptedException;

  /** Operations not yet acknowledged by the server. */
  int pendingOperations();

  /**
   * Waits up to {@link TrackerConfig#closeTimeout()} for the spool to drain, stops the sender and
   * logs how many operations are left in the spool (sent by the next tracker on that directory).
   */
  @Override
  void close();
}
