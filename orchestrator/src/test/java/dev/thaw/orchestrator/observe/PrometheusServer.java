package dev.thaw.orchestrator.observe;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.ServerSocket;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;

/**
 * A real Prometheus server (the Debian package's binary) scraping one orchestrator every second and
 * loading alert rules, on 127.0.0.1 and a free port, its data in a folder of the test's; asked
 * through its HTTP API.
 */
final class PrometheusServer implements AutoCloseable {
  private static final ObjectMapper JSON = new ObjectMapper();

  private final Process process;
  private final URI base;
  private final Path log;
  private final HttpClient http =
      HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

  private PrometheusServer(Process process, URI base, Path log) {
    this.process = process;
    this.base = base;
    this.log = log;
  }

  /**
   * Starts Prometheus and waits until it is ready.
   *
   * @param target {@code host:port} of the orchestrator
   * @param rules alert rule files to load
   */
  static PrometheusServer start(Path binary, Path dir, String target, List<Path> rules)
      throws IOException, InterruptedException {
    int port;
    try (ServerSocket s = new ServerSocket(0)) {
      port = s.getLocalPort();
    }
    StringBuilder config = new StringBuilder();
    config.append("global:\n  scrape_interval: 1s\n  evaluation_interval: 1s\n");
    config.append("rule_files:\n");
    for (Path r : rules) {
      config.append("  - '").append(r.toAbsolutePath()).append("'\n");
    }
    config
        .append("scrape_configs:\n")
        .append("  - job_name: thaw-orchestrator\n")
        .append("    metrics_path: /q/metrics\n")
        .append("    static_configs:\n")
        .append("      - targets: ['")
        .append(target)
        .append("']\n");
    Path file = dir.resolve("prometheus.yml");
    Files.writeString(file, config);
    Path log = dir.resolve("prometheus.log");
    Process p =
        new ProcessBuilder(
                binary.toString(),
                "--config.file=" + file,
                "--storage.tsdb.path=" + dir.resolve("data"),
                "--web.listen-address=127.0.0.1:" + port,
                "--log.level=warn")
            .redirectErrorStream(true)
            .redirectOutput(log.toFile())
            .start();
    PrometheusServer server =
        new PrometheusServer(p, URI.create("http://127.0.0.1:" + port + "/"), log);
    long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
    while (System.nanoTime() < deadline) {
      if (!p.isAlive()) {
        throw new IllegalStateException(
            "prometheus exited with " + p.exitValue() + ": " + Files.readString(log));
      }
      try {
        HttpResponse<String> ready =
            server.http.send(
                HttpRequest.newBuilder(server.base.resolve("-/ready")).build(),
                HttpResponse.BodyHandlers.ofString());
        if (ready.statusCode() == 200) {
          return server;
        }
      } catch (IOException notYet) {
        // starting
      }
      Thread.sleep(200);
    }
    server.close();
    throw new IllegalStateException("prometheus not ready in 60 s: " + Files.readString(log));
  }

  /**
   * Evaluates {@code promql} now ({@code /api/v1/query}).
   *
   * @return the answer's {@code data.result}
   * @throws IllegalStateException when Prometheus refuses the query (with its error)
   */
  JsonNode query(String promql) {
    JsonNode answer =
        get("api/v1/query?query=" + URLEncoder.encode(promql, StandardCharsets.UTF_8));
    if (!"success".equals(answer.path("status").asText())) {
      throw new IllegalStateException(
          answer.path("errorType").asText() + ": " + answer.path("error").asText());
    }
    return answer.path("data").path("result");
  }

  /** A GET of the HTTP API, parsed. */
  JsonNode get(String path) {
    try {
      HttpResponse<String> r =
          http.send(
              HttpRequest.newBuilder(base.resolve(path)).timeout(Duration.ofSeconds(30)).build(),
              HttpResponse.BodyHandlers.ofString());
      return JSON.readTree(r.body());
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException(e);
    }
  }

  /** The server's log so far. */
  String log() {
    try {
      return Files.readString(log);
    } catch (IOException e) {
      return "(no log: " + e.getMessage() + ")";
    }
  }

  @Override
  public void close() {
    process.destroy();
    try {
      if (!process.waitFor(10, java.util.concurrent.TimeUnit.SECONDS)) {
        process.destroyForcibly().waitFor();
      }
    } catch (InterruptedException e) {
      process.destroyForcibly();
      Thread.currentThread().interrupt();
    }
  }
}
