package dev.thaw.bench;

import dev.thaw.auth.TokenFiles;
import dev.thaw.auth.TokenRole;
import java.io.IOException;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * The orchestrator ({@code orchestrator/target/quarkus-app/quarkus-run.jar}) as a child process on
 * 127.0.0.1 and a free port, with the same JDK as this one. {@link #close()} stops it (SIGTERM,
 * then SIGKILL after 15 s); a shutdown hook does the same if this JVM ends first. Its JVM options
 * are those {@code ./thaw serve} gives it ({@code orchestrator/jvm.options}), then any from {@value
 * #JVM_OPTIONS_ENV}.
 */
final class OrchestratorProcess implements AutoCloseable {
  static final Path JAR = Path.of("orchestrator/target/quarkus-app/quarkus-run.jar");

  /** The orchestrator's JVM options as shipped: a java argument file. */
  static final Path JVM_OPTIONS = Path.of("orchestrator/jvm.options");

  /** Environment variable with extra JVM options for the orchestrator, split at spaces. */
  static final String JVM_OPTIONS_ENV = "THAW_BENCH_ORCHESTRATOR_JVM_OPTIONS";

  private static final Duration READY_TIMEOUT = Duration.ofSeconds(120);

  private final Process process;
  private final URI base;
  private final Path log;
  private final String apiToken;
  private final String workerToken;
  private final AtomicBoolean closed = new AtomicBoolean();
  private final Thread hook = new Thread(this::stop, "stop-orchestrator");

  private OrchestratorProcess(
      Process process, URI base, Path log, String apiToken, String workerToken) {
    this.process = process;
    this.base = base;
    this.log = log;
    this.apiToken = apiToken;
    this.workerToken = workerToken;
  }

  /**
   * Starts the orchestrator and waits until {@code /q/health/ready} answers 200.
   *
   * @param properties {@code -D} system properties (Quarkus and Thaw configuration)
   * @param env extra environment variables; the child also gets fresh {@code THAW_API_TOKEN} and
   *     {@code THAW_WORKER_TOKEN} (see {@link #apiToken()}), so it writes no token files
   * @param log where its console output goes
   */
  static OrchestratorProcess start(
      Map<String, String> properties, Map<String, String> env, Path log)
      throws IOException, InterruptedException {
    if (!Files.isRegularFile(JAR)) {
      throw new IOException(
          JAR.toAbsolutePath()
              + " is missing; build it with ./mvnw -B -q -pl orchestrator -am package -DskipTests");
    }
    int port = freePort();
    String java =
        ProcessHandle.current()
            .info()
            .command()
            .orElse(System.getProperty("java.home") + "/bin/java");
    if (!Files.isRegularFile(JVM_OPTIONS)) {
      throw new IOException(JVM_OPTIONS.toAbsolutePath() + " is missing");
    }
    List<String> command = new ArrayList<>(List.of(java, "@" + JVM_OPTIONS));
    // Extra JVM options, after the file's (so they can switch its options off or override them),
    // e.g. a flight recording while it runs.
    String extra = System.getenv().getOrDefault(JVM_OPTIONS_ENV, "").strip();
    if (!extra.isEmpty()) {
      command.addAll(List.of(extra.split("\\s+")));
    }
    command.add("-Dquarkus.http.host=127.0.0.1");
    command.add("-Dquarkus.http.port=" + port);
    properties.forEach((k, v) -> command.add("-D" + k + "=" + v));
    command.addAll(List.of("-jar", JAR.toString()));
    ProcessBuilder pb =
        new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(log.toFile());
    String apiToken = TokenFiles.generate();
    String workerToken = TokenFiles.generate();
    pb.environment().put(TokenRole.API.envVar(), apiToken);
    pb.environment().put(TokenRole.WORKER.envVar(), workerToken);
    pb.environment().putAll(env);
    OrchestratorProcess o =
        new OrchestratorProcess(
            pb.start(), URI.create("http://127.0.0.1:" + port), log, apiToken, workerToken);
    Runtime.getRuntime().addShutdownHook(o.hook);
    try {
      o.awaitReady();
    } catch (IOException | RuntimeException e) {
      o.close();
      throw e;
    }
    return o;
  }

  /** Base URI, e.g. {@code http://127.0.0.1:41234}. */
  URI base() {
    return base;
  }

  /** The bearer token of the user API (sweeps). */
  String apiToken() {
    return apiToken;
  }

  /** The bearer token of the worker API (leases). */
  String workerToken() {
    return workerToken;
  }

  /** The child's process id, for thread dumps ({@code jcmd PID Thread.print}). */
  long pid() {
    return process.pid();
  }

  private void awaitReady() throws IOException, InterruptedException {
    HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();
    HttpRequest ready =
        HttpRequest.newBuilder(base.resolve("/q/health/ready"))
            .timeout(Duration.ofSeconds(5))
            .build();
    long deadline = System.nanoTime() + READY_TIMEOUT.toNanos();
    while (System.nanoTime() < deadline) {
      if (!process.isAlive()) {
        throw new IOException(
            "the orchestrator exited with status "
                + process.exitValue()
                + " before it was ready; the end of "
                + log
                + ":\n"
                + tail(log));
      }
      try {
        if (http.send(ready, HttpResponse.BodyHandlers.discarding()).statusCode() == 200) {
          return;
        }
      } catch (IOException notYet) {
        // Not listening yet.
      }
      Thread.sleep(200);
    }
    throw new IOException(
        "the orchestrator at "
            + base
            + " was not ready after "
            + READY_TIMEOUT.toSeconds()
            + " s; the end of "
            + log
            + ":\n"
            + tail(log));
  }

  @Override
  public void close() {
    stop();
    try {
      Runtime.getRuntime().removeShutdownHook(hook);
    } catch (IllegalStateException shuttingDown) {
      // The hook is running or about to; stop() is idempotent.
    }
  }

  private void stop() {
    if (!closed.compareAndSet(false, true)) {
      return;
    }
    process.destroy();
    try {
      if (!process.waitFor(15, TimeUnit.SECONDS)) {
        process.destroyForcibly().waitFor(5, TimeUnit.SECONDS);
      }
    } catch (InterruptedException e) {
      process.destroyForcibly();
      Thread.currentThread().interrupt();
    }
  }

  private static int freePort() throws IOException {
    try (ServerSocket s = new ServerSocket(0)) {
      return s.getLocalPort();
    }
  }

  private static String tail(Path log) {
    try {
      List<String> lines = Files.readAllLines(log);
      return String.join("\n", lines.subList(Math.max(0, lines.size() - 30), lines.size()));
    } catch (IOException e) {
      return "(unreadable: " + e.getMessage() + ")";
    }
  }
}
