package dev.thaw.mlflow;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * The real MLflow server of the tests (scripts/mlflow-server) and MLflow's own Python client to
 * read back what Thaw sent. {@code ./thaw test} exports THAW_TEST_MLFLOW_URI, _PYTHON and _DIR.
 * Public, and shipped in this module's test jar, for the orchestrator's MLflow tests too.
 */
public final class MlflowTestServer {
  public static final String URI_ENV = "THAW_TEST_MLFLOW_URI";
  private static final ObjectMapper JSON = new ObjectMapper();

  private MlflowTestServer() {}

  public static String sharedUri() {
    return System.getenv(URI_ENV);
  }

  /** The venv's python: from THAW_TEST_MLFLOW_PYTHON, else what {@code available} prints. */
  public static String python() throws IOException, InterruptedException {
    String python = System.getenv("THAW_TEST_MLFLOW_PYTHON");
    if (python != null && !python.isBlank()) {
      return python;
    }
    return exec(List.of(script().toString(), "available"), Map.of()).strip();
  }

  /** scripts/mlflow-server, found from the working directory upwards. */
  public static Path script() {
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

  /** Starts (or restarts, same store and port) the server in {@code dir}; returns its URI. */
  public static String start(Path dir) throws IOException, InterruptedException {
    return start(dir, Map.of());
  }

  /**
   * Starts the server in {@code dir} on {@code port} the first time (a restart keeps its port);
   * returns its URI.
   */
  public static String start(Path dir, int port) throws IOException, InterruptedException {
    return start(dir, Map.of("THAW_MLFLOW_PORT", Integer.toString(port)));
  }

  private static String start(Path dir, Map<String, String> env)
      throws IOException, InterruptedException {
    String exports = exec(List.of(script().toString(), "start", dir.toString()), env);
    for (String line : exports.split("\n")) {
      if (line.startsWith("export " + URI_ENV + "=")) {
        return line.substring(("export " + URI_ENV + "=").length()).strip();
      }
    }
    throw new IllegalStateException("mlflow-server start printed no " + URI_ENV + ": " + exports);
  }

  /** Kills the server of {@code dir} at once (SIGKILL to it and its children), by its pid file. */
  public static void kill(Path dir) throws IOException, InterruptedException {
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

  public static void remove(Path dir) throws IOException, InterruptedException {
    exec(List.of(script().toString(), "remove", dir.toString()), Map.of());
  }

  /**
   * Every run of {@code experiment} as MLflow's Python client sees it: id, name, status, params,
   * tags, each metric's full history [step, timestamp, value] (MlflowClient.get_metric_history) and
   * the SHA-256 of each artifact in {@code artifacts} downloaded through the server.
   */
  public static JsonNode readBack(String uri, String experiment, String... artifacts)
      throws IOException, InterruptedException {
    String code =
        """
        import hashlib, json, sys, tempfile
        import mlflow
        from mlflow import MlflowClient
        client = MlflowClient()
        out = []
        for r in mlflow.search_runs(experiment_names=[sys.argv[1]], output_format="list"):
            rid = r.info.run_id
            history = {k: [[m.step, m.timestamp, m.value] for m in client.get_metric_history(rid, k)]
                       for k in r.data.metrics}
            files = {}
            for path in sys.argv[2:]:
                try:
                    local = mlflow.artifacts.download_artifacts(
                        run_id=rid, artifact_path=path, dst_path=tempfile.mkdtemp())
                    files[path] = hashlib.sha256(open(local, "rb").read()).hexdigest()
                except Exception:
                    pass
            out.append({"id": rid, "name": r.info.run_name, "status": r.info.status,
                        "params": r.data.params, "tags": r.data.tags,
                        "metrics": history, "artifacts": files})
        print(json.dumps(out))
        """;
    List<String> command = new ArrayList<>(List.of(python(), "-c", code, experiment));
    command.addAll(List.of(artifacts));
    return JSON.readTree(exec(command, Map.of("MLFLOW_TRACKING_URI", uri)));
  }

  /** The run called {@code name} in a {@link #readBack} answer. */
  static JsonNode run(JsonNode runs, String name) {
    for (JsonNode r : runs) {
      if (name.equals(r.get("name").asText())) {
        return r;
      }
    }
    throw new AssertionError("no run named '" + name + "' among " + runs);
  }

  /**
   * Runs a command with extra environment variables and returns its standard output.
   *
   * @throws IOException naming the command and quoting its standard error when it fails or takes
   *     more than two minutes
   */
  public static String exec(List<String> command, Map<String, String> env)
      throws IOException, InterruptedException {
    ProcessBuilder pb = new ProcessBuilder(command);
    pb.environment().putAll(env);
    Path err = Files.createTempFile("mlflow-test", ".err");
    pb.redirectError(err.toFile());
    Process p = pb.start();
    String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    boolean done = p.waitFor(Duration.ofSeconds(120).toMillis(), TimeUnit.MILLISECONDS);
    String stderr = Files.readString(err);
    Files.deleteIfExists(err);
    if (!done || p.exitValue() != 0) {
      p.destroyForcibly();
      throw new IOException(
          "'"
              + command.get(0)
              + " "
              + command.get(1)
              + "' failed ("
              + (done ? "exit " + p.exitValue() : "timeout")
              + "):\n"
              + stderr);
    }
    return out;
  }
}
