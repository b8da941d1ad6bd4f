package dev.thaw.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import dev.thaw.inputs.InputPolicy;
import dev.thaw.json.ThawJson;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

/**
 * {@code thaw worker} as a user runs it, against a real HTTP server that plays the orchestrator's
 * side of the lease protocol: one trial, then nothing.
 */
class WorkerCommandTest {
  private static final String LEASE =
      """
      {"lease_id": "L1", "trial_id": "cli-trial", "attempt": 1, "sweep_id": "s1",
       "sweep_name": "cli-sweep", "config_hash": "abc", "lease_seconds": 30,
       "heartbeat_seconds": 10,
       "trial": {"id": "cli-trial", "source_model": "scratch:thaw-cnn-w4",
                 "target": {"dataset": "mnist[0-1]", "labels_per_class": 10, "split_seed": 3},
                 "batch_size": 10, "epochs": 1, "seed": 4}}
      """;

  private HttpServer server;
  private final List<String> calls = new ArrayList<>();
  private final List<String> completed = new ArrayList<>();

  record Run(int exitCode, String out) {}

  static Run thaw(String... args) {
    CommandLine cli = ThawCli.commandLine();
    StringWriter out = new StringWriter();
    cli.setOut(new PrintWriter(out, true));
    cli.setErr(new PrintWriter(out, true));
    int code = cli.execute(args);
    return new Run(code, out.toString());
  }

  /**
   * Starts the orchestrator double: it serves one trial (or none), continues every heartbeat and
   * accepts the result; then it has nothing more.
   */
  private String orchestrator(boolean oneTrial) throws IOException {
    AtomicBoolean handedOut = new AtomicBoolean(!oneTrial);
    server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
    server.createContext(
        "/api/v1/leases",
        exchange -> {
          String path = exchange.getRequestURI().getPath();
          String body =
              new String(exchange.getRequestBody().readAllBytes(), StandardCharsets.UTF_8);
          synchronized (calls) {
            calls.add(path);
          }
          if (path.equals("/api/v1/leases")) {
            reply(exchange, handedOut.getAndSet(true) ? 204 : 200, LEASE);
          } else if (path.endsWith("/heartbeat")) {
            reply(exchange, 200, "{\"action\": \"continue\", \"lease_seconds\": 30}");
          } else {
            synchronized (calls) {
              completed.add(body);
            }
            reply(exchange, 204, null);
          }
        });
    server.start();
    return "http://127.0.0.1:" + server.getAddress().getPort();
  }

  private static void reply(HttpExchange exchange, int status, String body) throws IOException {
    if (status == 204) {
      exchange.sendResponseHeaders(204, -1);
    } else {
      byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
      exchange.getResponseHeaders().set("Content-Type", "application/json");
      exchange.sendResponseHeaders(status, bytes.length);
      exchange.getResponseBody().write(bytes);
    }
    exchange.close();
  }

  @AfterEach
  void stopServer() {
    if (server != null) {
      server.stop(0);
    }
  }

  @Test
  void runsALeasedTrialAndExitsAfterMaxTrials(@TempDir Path runs) throws IOException {
    String url = orchestrator(true);
    Run run =
        thaw(
            "worker",
            "--orchestrator",
            url,
            "--worker-id",
            "cli-w",
            "--max-trials",
            "1",
            "--runs-dir",
            runs.toString());
    assertEquals(0, run.exitCode(), run.out());
    List<String> lines = run.out().lines().toList();
    assertEquals("worker cli-w on cpu() pulls from " + url, lines.get(0), run.out());
    assertTrue(lines.get(1).startsWith("trials may name data roots "), run.out());
    assertTrue(lines.get(1).endsWith("; remote models off"), run.out());
    assertEquals("leased trial cli-trial of sweep cli-sweep (attempt 1, lease L1)", lines.get(2));
    assertTrue(
        lines.get(3).startsWith("  trial cli-trial epoch 1 fine_tune: train_loss "), run.out());
    assertTrue(lines.get(4).startsWith("completed trial cli-trial: best val_loss="), run.out());
    assertTrue(
        lines.get(5).startsWith("worker exits: max trials reached; 1 trial(s): 1 completed"));
    assertEquals(
        List.of("/api/v1/leases", "/api/v1/leases/L1/heartbeat", "/api/v1/leases/L1/complete"),
        calls);
    var result = ThawJson.mapper().readTree(completed.get(0));
    assertEquals("cli-trial", result.get("trial_id").asText());
    assertEquals(1, result.get("epochs_run").asInt());
  }

  @Test
  void rootsComeFromTheFlagsElseTheEnvironmentElseTheDefaults() {
    Map<String, String> env =
        Map.of(
            "THAW_DATA_ROOTS", "/env/data:/env/more",
            "THAW_MODELS_ROOTS", "/env/models",
            "THAW_MODELS_ALLOW_REMOTE", "true");
    WorkerCommand flags = new WorkerCommand();
    new CommandLine(flags)
        .parseArgs(
            "--orchestrator",
            "http://x",
            "--data-root",
            "/a",
            "--data-root",
            "/b",
            "--model-root",
            "/m");
    InputPolicy both = flags.inputs(env);
    assertEquals(List.of(Path.of("/a"), Path.of("/b")), both.dataRoots().roots());
    assertEquals(List.of(Path.of("/m")), both.modelRoots().roots());
    assertTrue(both.allowRemoteModels(), "the environment allowed remote models");

    WorkerCommand none = new WorkerCommand();
    new CommandLine(none).parseArgs("--orchestrator", "http://x");
    InputPolicy fromEnv = none.inputs(env);
    assertEquals(List.of(Path.of("/env/data"), Path.of("/env/more")), fromEnv.dataRoots().roots());
    InputPolicy defaults = none.inputs(Map.of());
    assertEquals(InputPolicy.defaultDataRoots(), defaults.dataRoots().roots());
    assertEquals(InputPolicy.defaultModelRoots(), defaults.modelRoots().roots());
    assertFalse(defaults.allowRemoteModels());

    WorkerCommand remote = new WorkerCommand();
    new CommandLine(remote).parseArgs("--orchestrator", "http://x", "--allow-remote-models");
    assertTrue(remote.inputs(Map.of()).allowRemoteModels());
  }

  @Test
  void exitsZeroAfterTheIdleTimeout() throws IOException {
    String url = orchestrator(false);
    long t0 = System.nanoTime();
    Run run = thaw("worker", "--orchestrator", url, "--idle-exit", "0.5");
    double seconds = (System.nanoTime() - t0) / 1e9;
    assertEquals(0, run.exitCode(), run.out());
    assertTrue(
        run.out()
            .strip()
            .endsWith(
                "worker exits: idle timeout reached; 0 trial(s): 0 completed,"
                    + " 0 stopped, 0 failed, 0 dropped, 0 handed back"),
        run.out());
    assertTrue(seconds >= 0.5 && seconds < 3, "exited after " + seconds + " s");
    assertTrue(calls.size() >= 2, "polled " + calls.size() + " times");
  }

  @Test
  void aMalformedUrlExits2WithAClearMessage() {
    Run run = thaw("worker", "--orchestrator", "localhost:8080");
    assertEquals(2, run.exitCode(), run.out());
    assertEquals(
        "error: orchestrator URL 'localhost:8080' must start with http:// or https://;"
            + " use http(s)://HOST[:PORT][/PATH], e.g. http://localhost:8080",
        run.out().strip());
  }
}
