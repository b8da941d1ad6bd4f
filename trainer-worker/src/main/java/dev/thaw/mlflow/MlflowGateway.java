package dev.thaw.mlflow;

import java.io.Closeable;
import java.net.URI;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Function;
import org.mlflow.api.proto.Service;
import org.mlflow.tracking.MlflowClient;

/**
 * The MLflow server as the sender sees it: the calls Thaw makes, each with a deadline, and a
 * verdict on failure (retry later, or refused for good; {@link CallFailed}).
 *
 * <p>Tracking calls go through MLflow's Java client, each under a deadline ({@link GuardedClient});
 * artifacts go to the server's artifact proxy ({@link ArtifactProxy}).
 */
final class MlflowGateway implements Closeable {
  /** The tag that carries a run's local key, so a run created before a crash can be found. */
  static final String RUN_KEY_TAG = "thaw.run_key";

  private final TrackerConfig config;
  private final GuardedClient client;
  private final ArtifactProxy artifacts;
  private final Map<String, String> experimentIds = new ConcurrentHashMap<>();

  MlflowGateway(TrackerConfig config) {
    this.config = config;
    this.client = new GuardedClient(config);
    this.artifacts = new ArtifactProxy(config);
  }

  /** The tracking URI, for messages. */
  URI uri() {
    return config.trackingUri();
  }

  /** The id of the experiment named {@code name}, created when there is none. */
  String experimentId(String name) throws CallFailed {
    String cached = experimentIds.get(name);
    if (cached != null) {
      return cached;
    }
    Optional<Service.Experiment> found = findExperiment(name);
    String id;
    if (found.isPresent()) {
      if ("deleted".equals(found.get().getLifecycleStage())) {
        throw new CallFailed(
            "MLflow experiment '"
                + name
                + "' (id "
                + found.get().getExperimentId()
                + ") is deleted; restore it (mlflow experiments restore --experiment-id ...) or"
                + " use another name",
            true,
            null);
      }
      id = found.get().getExperimentId();
    } else {
      try {
        id = call("create experiment '" + name + "'", c -> c.createExperiment(name));
      } catch (CallFailed e) {
        // Another process created it in between.
        if (!e.permanent()) {
          throw e;
        }
        id = findExperiment(name).map(Service.Experiment::getExperimentId).orElseThrow(() -> e);
      }
    }
    experimentIds.put(name, id);
    return id;
  }

  /** The id of the experiment named {@code name}, if there is one and it is not deleted. */
  Optional<String> existingExperimentId(String name) throws CallFailed {
    String cached = experimentIds.get(name);
    if (cached != null) {
      return Optional.of(cached);
    }
    Optional<String> id =
        findExperiment(name)
            .filter(e -> !"deleted".equals(e.getLifecycleStage()))
            .map(Service.Experiment::getExperimentId);
    id.ifPresent(found -> experimentIds.put(name, found));
    return id;
  }

  /** The active runs of an experiment that match a search filter, at most 1000. */
  List<FoundRun> searchRuns(String experimentId, String filter) throws CallFailed {
    return call(
        "search runs where " + filter,
        c ->
            c
                .searchRuns(List.of(experimentId), filter, Service.ViewType.ACTIVE_ONLY, 1000)
                .getItems()
                .stream()
                .map(MlflowGateway::found)
                .toList());
  }

  private static FoundRun found(Service.Run run) {
    Map<String, String> tags = new HashMap<>();
    run.getData().getTagsList().forEach(t -> tags.put(t.getKey(), t.getValue()));
    return new FoundRun(run.getInfo().getRunId(), run.getInfo().getStatus().name(), tags);
  }

  /**
   * The experiment called {@code name}, deleted ones included. A search rather than the client's
   * get-by-name, which answers "not found" with a 404 that the client retries and logs twice.
   */
  private Optional<Service.Experiment> findExperiment(String name) throws CallFailed {
    String filter = "name = '" + name.replace("'", "\\'") + "'";
    return call(
        "find experiment '" + name + "'",
        c ->
            c.searchExperiments(filter, Service.ViewType.ALL, 10, List.of()).getItems().stream()
                .filter(e -> e.getName().equals(name))
                .findFirst());
  }

  /** Creates a run; its tags include {@link #RUN_KEY_TAG}, run name and parent. */
  Spool.Binding createRun(String experimentId, SpoolOp.StartRun start, String parentServerId)
      throws CallFailed {
    Service.CreateRun.Builder request =
        Service.CreateRun.newBuilder()
            .setExperimentId(experimentId)
            .setStartTime(start.startTime())
            .setRunName(start.runName());
    addTag(request, "mlflow.runName", start.runName());
    addTag(request, RUN_KEY_TAG, start.run());
    if (parentServerId != null) {
      addTag(request, "mlflow.parentRunId", parentServerId);
    }
    if (start.tags() != null) {
      start.tags().forEach((k, v) -> addTag(request, k, v));
    }
    Service.RunInfo info =
        call("create run '" + start.runName() + "'", c -> c.createRun(request.build()));
    return new Spool.Binding(info.getRunId(), info.getArtifactUri());
  }

  private static void addTag(Service.CreateRun.Builder request, String key, String value) {
    request.addTags(Service.RunTag.newBuilder().setKey(key).setValue(value));
  }

  /**
   * The run with local key {@code runKey}, if the server has one (a create whose reply was lost).
   */
  Optional<Spool.Binding> findRun(String experimentId, String runKey) throws CallFailed {
    String filter = "tags.`" + RUN_KEY_TAG + "` = '" + runKey.replace("'", "") + "'";
    List<Service.RunInfo> runs =
        call("search run " + runKey, c -> c.searchRuns(List.of(experimentId), filter));
    return runs.stream().findFirst().map(i -> new Spool.Binding(i.getRunId(), i.getArtifactUri()));
  }

  /** The run's artifact URI. */
  String artifactUri(String runId) throws CallFailed {
    return call("get run " + runId, c -> c.getRun(runId).getInfo().getArtifactUri());
  }

  void logBatch(
      String runId,
      List<Service.Metric> metrics,
      List<Service.Param> params,
      List<Service.RunTag> tags)
      throws CallFailed {
    call(
        "log a batch of "
            + metrics.size()
            + " metrics, "
            + params.size()
            + " params, "
            + tags.size()
            + " tags to run "
            + runId,
        c -> {
          c.logBatch(runId, metrics, params, tags);
          return null;
        });
  }

  List<Service.Metric> metricHistory(String runId, String key) throws CallFailed {
    return call(
        "get the history of metric '" + key + "' of run " + runId,
        c -> new ArrayList<>(c.getMetricHistory(runId, key)));
  }

  void setTerminated(String runId, RunStatus status, long endTime) throws CallFailed {
    call(
        "end run " + runId + " as " + status,
        c -> {
          c.setTerminated(runId, status.proto(), endTime);
          return null;
        });
  }

  /** PUTs {@code file} to {@code relativePath} in the run's artifacts, through the proxy. */
  void uploadArtifact(String artifactUri, String relativePath, Path file) throws CallFailed {
    artifacts.upload(artifactUri, relativePath, file);
  }

  private <T> T call(String what, Function<MlflowClient, T> body) throws CallFailed {
    return client.call(what, body);
  }

  /** Aborts whatever is in progress and refuses further calls. */
  @Override
  public void close() {
    client.close();
    artifacts.close();
  }
}
