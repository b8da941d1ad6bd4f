package dev.thaw.bench;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.thaw.bench.ChaosRecords.Run;
import java.io.IOException;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;

/**
 * The child runs of an MLflow experiment, read over MLflow's REST API ({@code runs/search}, {@code
 * metrics/get-history}): a run per trial attempt, tagged {@code thaw.trial_id} and {@code
 * thaw.lease_id} by the worker that made it.
 */
final class MlflowRuns {
  /** The metric keys a worker logs per epoch (step = epoch). */
  static final List<String> EPOCH_KEYS =
      List.of("train_loss", "val_loss", "val_accuracy", "epoch_seconds", "samples_per_second");

  private static final ObjectMapper JSON = new ObjectMapper();

  private final URI base;
  private final HttpClient http =
      HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

  MlflowRuns(String trackingUri) {
    this.base = URI.create(trackingUri.endsWith("/") ? trackingUri : trackingUri + "/");
  }

  /**
   * The experiment's child runs (those with a {@code thaw.trial_id} tag); with {@code withHistory},
   * the steps of each finished run's per-epoch metrics too. Empty when the experiment does not
   * exist.
   */
  List<Run> childRuns(String experiment, boolean withHistory) throws IOException {
    Optional<String> id = experimentId(experiment);
    if (id.isEmpty()) {
      return List.of();
    }
    List<Run> runs = new ArrayList<>();
    String token = null;
    do {
      ObjectNode body = JSON.createObjectNode();
      body.putArray("experiment_ids").add(id.get());
      body.put("max_results", 1000);
      body.put("run_view_type", "ALL");
      if (token != null) {
        body.put("page_token", token);
      }
      JsonNode page = post("api/2.0/mlflow/runs/search", body);
      for (JsonNode r : page.path("runs")) {
        Map<String, String> tags = new HashMap<>();
        for (JsonNode t : r.path("data").path("tags")) {
          tags.put(t.path("key").asText(), t.path("value").asText());
        }
        String trialId = tags.get("thaw.trial_id");
        if (trialId == null) {
          continue; // the sweep's parent run
        }
        String runId = r.path("info").path("run_id").asText();
        String status = r.path("info").path("status").asText();
        Map<String, Set<Integer>> steps = new HashMap<>();
        if (withHistory && "FINISHED".equals(status)) {
          for (String key : EPOCH_KEYS) {
            steps.put(key, steps(runId, key));
          }
        }
        runs.add(new Run(runId, trialId, tags.get("thaw.lease_id"), status, steps));
      }
      token = page.path("next_page_token").asText(null);
    } while (token != null && !token.isEmpty());
    return runs;
  }

  private Optional<String> experimentId(String name) throws IOException {
    HttpResponse<String> r =
        send(
            HttpRequest.newBuilder(
                    base.resolve(
                        "api/2.0/mlflow/experiments/get-by-name?experiment_name="
                            + URLEncoder.encode(name, StandardCharsets.UTF_8)))
                .GET());
    if (r.statusCode() == 404) {
      return Optional.empty();
    }
    return Optional.of(check(r).path("experiment").path("experiment_id").asText());
  }

  private Set<Integer> steps(String runId, String key) throws IOException {
    JsonNode history =
        check(
            send(
                HttpRequest.newBuilder(
                        base.resolve(
                            "api/2.0/mlflow/metrics/get-history?max_results=25000&run_id="
                                + runId
                                + "&metric_key="
                                + URLEncoder.encode(key, StandardCharsets.UTF_8)))
                    .GET()));
    Set<Integer> steps = new TreeSet<>();
    for (JsonNode m : history.path("metrics")) {
      steps.add(m.path("step").asInt());
    }
    return steps;
  }

  private JsonNode post(String path, JsonNode body) throws IOException {
    return check(
        send(
            HttpRequest.newBuilder(base.resolve(path))
                .header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(JSON.writeValueAsString(body)))));
  }

  private HttpResponse<String> send(HttpRequest.Builder request) throws IOException {
    try {
      return http.send(
          request.timeout(Duration.ofSeconds(30)).build(), HttpResponse.BodyHandlers.ofString());
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IOException("interrupted", e);
    }
  }

  private static JsonNode check(HttpResponse<String> r) throws IOException {
    if (r.statusCode() != 200) {
      throw new IOException(
          "MLflow " + r.request().uri() + " answered " + r.statusCode() + ": " + r.body());
    }
    return JSON.readTree(r.body());
  }
}
