package dev.thaw.orchestrator.tracking;

import com.fasterxml.jackson.databind.JsonNode;
import dev.thaw.json.ThawJson;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * Real MLflow servers of a test's own (scripts/mlflow-server: started, killed, restarted on the
 * same store and port) and MLflow's own Python client to read back what Thaw sent.
 */
final class MlflowProcess {
  private MlflowProcess() {}

  /** The venv's python: THAW_TEST_MLFLOW_PYTHON, else what {@code available} prints. */
  static String python() throws IOException, InterruptedException {
    String python = System.getenv("THAW_TEST_MLFLOW_PYTHON");
    if (python != null && !python.isBlank()) {
      return python;
    }
    return run(List.of(script().toString(), "available"), Map.of()).strip();
  }

  /** scripts/mlflow-server, found from the working directory upwards. */
  static Path script() {
    Path dir = Path.of("").toAbsolutePath();
    while (dir != null) {
      Path candidate = dir.resolve("scripts/mlflow-server");
      if (Files.isExecutable(candidate)) {
        return candidate;
      }
      dir = dir.getParent();
    }
    throw new IllegalStateException(
        "scripts/mlflow-server not found above " + Path.of("").toAbsolutePath());
  }

  /** Starts (or restarts: same store and port) the server in {@code dir}; returns its URI. */
  static String start(Path dir) throws IOException, InterruptedException {
    String exports = run(List.of(script().toString(), "start", dir.toString()), Map.of());
    String prefix = "export " + MlflowServer.URI_ENV + "=";
    for (String line : exports.split("\n")) {
      if (line.startsWith(prefix)) {
        return line.substring(prefix.length()).strip();
      }
    }
    throw new IllegalStateException("mlflow-server start printed no URI: " + exports);
  }

  /** Kills the server of {@code dir} at once (SIGKILL to it and its children). */
  static void kill(Path dir) throws IOException {
    long pid = Long.parseLong(Files.readString(dir.resolve("mlflow.pid")).strip());
    ProcessHandle server =
        ProcessHandle.of(pid).orElseThrow(() -> new IllegalStateException("no process " + pid));
    List<ProcessHandle> all = new ArrayList<>(server.descendants().toList());
    all.add(server);
    all.forEach(ProcessHandle::destroyForcibly);
    for (ProcessHandle p : all) {
      p.onExit().orTimeout(10, TimeUnit.SECONDS).join();
    }
  }

  /** Stops the server of {@code dir} and deletes the directory. */
  static void remove(Path dir) throws IOException, InterruptedException {
    run(List.of(script().toString(), "remove", dir.toString()), Map.of());
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
            run(List.of(python(), "-c", code, experiment), Map.of("MLFLOW_TRACKING_URI", uri)));
  }

  private static String run(List<String> command, Map<String, String> env)
      throws IOException, InterruptedException {
    ProcessBuilder pb = new ProcessBuilder(command);
    pb.environment().putAll(env);
    Path err = Files.createTempFile("mlflow-test", ".err");
    pb.redirectError(err.toFile());
    Process p = pb.start();
    String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    boolean done = p.waitFor(120, TimeUnit.SECONDS);
    String stderr = Files.readString(err);
    Files.deleteIfExists(err);
    if (!done || p.exitValue() != 0) {
      p.destroyForcibly();
      throw new IOException(
          "'"
              + String.join(" ", command.subList(0, Math.min(2, command.size())))
              + "' failed ("
              + (done ? "exit " + p.exitValue() : "timeout")
              + "):\n"
              + stderr);
    }
    return out;
  }
}
