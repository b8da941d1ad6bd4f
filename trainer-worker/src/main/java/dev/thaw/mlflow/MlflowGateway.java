package dev.thaw.mlflow;

import java.io.Closeable;
import java.io.IOException;
import java.net.URI;
import java.net.URISyntaxException;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Function;
import org.mlflow.api.proto.Service;
import org.mlflow.tracking.MlflowClient;
import org.mlflow.tracking.MlflowClientException;
import org.mlflow.tracking.MlflowHttpException;
import org.mlflow.tracking.creds.BasicMlflowHostCreds;

/**
 * The MLflow server as the sender sees it: the calls Thaw makes, each with a deadline, and a
 * verdict on failure (retry later, or refused for good).
 *
 * <p>Tracking calls go through MLflow's Java client. Its HTTP client has no timeouts, so a watchdog
 * closes the client when a call overruns {@link TrackerConfig#requestTimeout()} (which aborts the
 * blocked request) and the next call gets a new one. Artifacts go to the server's artifact proxy
 * with a plain HTTP PUT: the Java client's {@code logArtifact} would fork Python.
 */
final class MlflowGateway implements Closeable {
  /** The tag that carries a run's local key, so a run created before a crash can be found. */
  static final String RUN_KEY_TAG = "thaw.run_key";

  private static final String ARTIFACT_SCHEME = "mlflow-artifacts:";

  /** A call to the server failed. */
  static final class CallFailed extends Exception {
    private final boolean permanent;

    CallFailed(String message, boolean permanent, Throwable cause) {
      super(message, cause);
      this.permanent = permanent;
    }

    /** True when the server refused the request itself: sending it again cannot help. */
    boolean permanent() {
      return permanent;
    }
  }

  private final TrackerConfig config;
  private final HttpClient http;
  private final ScheduledExecutorService watchdog;
  private final Map<String, String> experimentIds = new ConcurrentHashMap<>();
  private MlflowClient client;
  private boolean closed;

  MlflowGateway(TrackerConfig config) {
    this.config = config;
    this.http =
        HttpClient.newBuilder()
            .connectTimeout(config.requestTimeout())
            .followRedirects(HttpClient.Redirect.NORMAL)
            .build();
    this.watchdog =
        Executors.newSingleThreadScheduledExecutor(
            r -> {
              Thread t = new Thread(r, "thaw-mlflow-watchdog");
              t.setDaemon(true);
              return t;
            });
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
    URI target = artifactTarget(artifactUri, relativePath);
    long bytes;
    try {
      bytes = Files.size(file);
    } catch (IOException e) {
      throw new CallFailed("spooled artifact " + file + " is gone: " + e, true, e);
    }
    // Big files get one extra second per MB on top of the request timeout.
    Duration timeout = config.requestTimeout().plusSeconds(bytes >> 20);
    HttpRequest.Builder request =
        HttpRequest.newBuilder(target)
            .timeout(timeout)
            .header("Content-Type", "application/octet-stream");
    if (config.token() != null) {
      request.header("Authorization", "Bearer " + config.token());
    }
    HttpResponse<String> response;
    try {
      request.PUT(HttpRequest.BodyPublishers.ofFile(file));
      response = http.send(request.build(), HttpResponse.BodyHandlers.ofString());
    } catch (IOException e) {
      throw new CallFailed("upload " + relativePath + " to " + target + ": " + e, false, e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new CallFailed("upload " + relativePath + " interrupted", false, e);
    }
    int status = response.statusCode();
    if (status / 100 != 2) {
      throw new CallFailed(
          "upload " + relativePath + " to " + target + ": HTTP " + status + " " + response.body(),
          permanentStatus(status),
          null);
    }
  }

  /**
   * {@code PUT {tracking}/api/2.0/mlflow-artifacts/artifacts/<artifact_uri without the
   * mlflow-artifacts: prefix>/<relativePath>}.
   */
  URI artifactTarget(String artifactUri, String relativePath) throws CallFailed {
    if (artifactUri == null || !artifactUri.startsWith(ARTIFACT_SCHEME)) {
      throw new CallFailed(
          "the MLflow server at "
              + config.trackingUri()
              + " does not proxy artifacts (the run's artifact URI is '"
              + artifactUri
              + "'); start it with --serve-artifacts (scripts/mlflow-server does)",
          true,
          null);
    }
    String path = artifactUri.substring(ARTIFACT_SCHEME.length());
    if (path.startsWith("//")) { // mlflow-artifacts://host:port/path: the path part
      int slash = path.indexOf('/', 2);
      path = slash < 0 ? "" : path.substring(slash);
    }
    if (!path.startsWith("/")) {
      path = "/" + path;
    }
    URI base = config.trackingUri();
    String basePath = base.getPath() == null ? "" : base.getPath();
    try {
      return new URI(
          base.getScheme(),
          null,
          base.getHost(),
          base.getPort(),
          basePath + "/api/2.0/mlflow-artifacts/artifacts" + path + "/" + relativePath,
          null,
          null);
    } catch (URISyntaxException e) {
      throw new CallFailed("artifact path '" + relativePath + "': " + e.getMessage(), true, e);
    }
  }

  private <T> T call(String what, Function<MlflowClient, T> body) throws CallFailed {
    MlflowClient c = client();
    AtomicBoolean timedOut = new AtomicBoolean();
    ScheduledFuture<?> timer =
        watchdog.schedule(
            () -> {
              timedOut.set(true);
              discard(c);
            },
            config.requestTimeout().toMillis(),
            TimeUnit.MILLISECONDS);
    try {
      return body.apply(c);
    } catch (MlflowHttpException e) {
      throw new CallFailed(
          what + ": HTTP " + e.getStatusCode() + " " + e.getBodyMessage(),
          permanentStatus(e.getStatusCode()),
          e);
    } catch (MlflowClientException e) {
      String reason =
          timedOut.get()
              ? "no answer within " + config.requestTimeout().toSeconds() + " s"
              : String.valueOf(e.getCause() != null ? e.getCause() : e.getMessage());
      throw new CallFailed(what + ": " + reason, false, e);
    } catch (RuntimeException e) {
      if (timedOut.get()) {
        throw new CallFailed(
            what + ": no answer within " + config.requestTimeout().toSeconds() + " s", false, e);
      }
      throw new CallFailed(what + ": " + e, false, e);
    } finally {
      timer.cancel(false);
    }
  }

  /** 4xx but 401, 403, 408 and 429: the request itself is wrong (bad value, unknown run). */
  private static boolean permanentStatus(int status) {
    return status >= 400
        && status < 500
        && status != 401
        && status != 403
        && status != 408
        && status != 429;
  }

  private synchronized MlflowClient client() throws CallFailed {
    if (closed) {
      throw new CallFailed("the tracker is closed", false, null);
    }
    if (client == null) {
      String host = config.trackingUri().toString();
      client =
          config.token() == null
              ? new MlflowClient(new BasicMlflowHostCreds(host))
              : new MlflowClient(new BasicMlflowHostCreds(host, config.token()));
    }
    return client;
  }

  /** Closes {@code c}, aborting a request in progress; the next call makes a new client. */
  private void discard(MlflowClient c) {
    synchronized (this) {
      if (client == c) {
        client = null;
      }
    }
    c.close();
  }

  /** Aborts whatever is in progress and refuses further calls. */
  @Override
  public void close() {
    MlflowClient c;
    synchronized (this) {
      closed = true;
      c = client;
      client = null;
    }
    if (c != null) {
      c.close();
    }
    watchdog.shutdownNow();
    http.shutdownNow();
  }
}
