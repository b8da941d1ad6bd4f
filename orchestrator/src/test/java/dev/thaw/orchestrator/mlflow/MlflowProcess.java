package dev.thaw.orchestrator.mlflow;

import com.fasterxml.jackson.databind.JsonNode;
import dev.thaw.json.ThawJson;
import dev.thaw.mlflow.MlflowTestServer;
import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

/**
 * Real MLflow servers of a test's own (started, killed, restarted on the same store and port by
 * trainer-worker's {@link MlflowTestServer}, from its test jar) and MLflow's own Python client to
 * read back what Thaw sent, in the shape these tests compare.
 */
final class MlflowProcess {
  private MlflowProcess() {}

  /** Starts (or restarts: same store and port) the server in {@code dir}; returns its URI. */
  static String start(Path dir) throws IOException, InterruptedException {
    return MlflowTestServer.start(dir);
  }

  /** Starts the server in {@code dir} on {@code port} (a restart keeps it); returns its URI. */
  static String start(Path dir, int port) throws IOException, InterruptedException {
    return MlflowTestServer.start(dir, port);
  }

  /** Kills the server of {@code dir} at once (SIGKILL to it and its children). */
  static void kill(Path dir) throws IOException, InterruptedException {
    MlflowTestServer.kill(dir);
  }

  /** Stops the server of {@code dir} and deletes the directory. */
  static void remove(Path dir) throws IOException, InterruptedException {
    MlflowTestServer.remove(dir);
  }

  /**
   * Every run of {@code experiment} via MLflow's Python client ({@code mlflow.search_runs}, {@code
   * MlflowClient.get_metric_history}): id, name, status, params, tags, each metric's history as
   * [step, value] pairs, the artifacts' names.
   */
  static JsonNode readBack(String uri, String experiment) throws IOException, InterruptedException {
    String code =
        """
        import json, sys
        import mlflow
        from mlflow import MlflowClient
        client = MlflowClient()
        out = []
        for r in mlflow.search_runs(experiment_names=[sys.argv[1]], output_format="list"):
            rid = r.info.run_id
            out.append({"id": rid, "name": r.info.run_name, "status": r.info.status,
                        "params": r.data.params, "tags": r.data.tags,
                        "metrics": {k: [[m.step, m.value] for m in client.get_metric_history(rid, k)]
                                    for k in r.data.metrics},
                        "artifacts": " ".join(a.path for a in client.list_artifacts(rid))})
        print(json.dumps(out))
        """;
    return ThawJson.mapper()
        .readTree(
            MlflowTestServer.exec(
                List.of(MlflowTestServer.python(), "-c", code, experiment),
                Map.of("MLFLOW_TRACKING_URI", uri)));
  }
}
