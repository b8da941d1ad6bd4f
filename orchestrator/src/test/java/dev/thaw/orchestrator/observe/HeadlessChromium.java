package dev.thaw.orchestrator.observe;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.WebSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A real headless Chromium (the Debian package), driven over the Chrome DevTools Protocol with the
 * JDK's own WebSocket client: navigate, evaluate JavaScript in the page, take a screenshot. No
 * WebDriver in between, so nothing but the browser itself needs installing.
 */
final class HeadlessChromium implements AutoCloseable {
  private static final ObjectMapper JSON = new ObjectMapper();

  private final Process process;
  private final WebSocket socket;
  private final AtomicInteger ids = new AtomicInteger();
  private final Map<Integer, CompletableFuture<JsonNode>> waiting = new ConcurrentHashMap<>();

  private HeadlessChromium(Process process, URI page) throws Exception {
    this.process = process;
    this.socket =
        HttpClient.newHttpClient()
            .newWebSocketBuilder()
            .buildAsync(page, new Replies())
            .get(30, TimeUnit.SECONDS);
  }

  /** Starts the browser with a fresh profile in {@code profile} and a window of this size. */
  static HeadlessChromium start(Path binary, Path profile, int width, int height) throws Exception {
    Files.createDirectories(profile);
    Process p =
        new ProcessBuilder(
                binary.toString(),
                "--headless=new",
                "--no-sandbox", // tests run as root in CI
                "--disable-gpu",
                "--disable-dev-shm-usage",
                "--no-first-run",
                "--no-default-browser-check",
                "--hide-scrollbars",
                "--remote-debugging-address=127.0.0.1",
                "--remote-debugging-port=0",
                "--user-data-dir=" + profile,
                "--window-size=" + width + "," + height,
                "about:blank")
            .redirectErrorStream(true)
            .redirectOutput(profile.resolve("chromium.log").toFile())
            .start();
    Path portFile = profile.resolve("DevToolsActivePort");
    long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
    while (!Files.exists(portFile) || Files.readAllLines(portFile).size() < 2) {
      if (!p.isAlive() || System.nanoTime() > deadline) {
        p.destroyForcibly();
        throw new IllegalStateException(
            "chromium did not start: " + Files.readString(profile.resolve("chromium.log")));
      }
      Thread.sleep(100);
    }
    int port = Integer.parseInt(Files.readAllLines(portFile).get(0).strip());
    HttpResponse<String> list =
        HttpClient.newHttpClient()
            .send(
                HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/json/list"))
                    .build(),
                HttpResponse.BodyHandlers.ofString());
    for (JsonNode target : JSON.readTree(list.body())) {
      if ("page".equals(target.path("type").asText())) {
        return new HeadlessChromium(p, URI.create(target.path("webSocketDebuggerUrl").asText()));
      }
    }
    p.destroyForcibly();
    throw new IllegalStateException("chromium has no page target: " + list.body());
  }

  /** Sends a DevTools command and waits for its result. */
  JsonNode call(String method, Map<String, Object> params) throws Exception {
    int id = ids.incrementAndGet();
    CompletableFuture<JsonNode> reply = new CompletableFuture<>();
    waiting.put(id, reply);
    ObjectNode message = JSON.createObjectNode().put("id", id).put("method", method);
    message.set("params", JSON.valueToTree(params));
    socket.sendText(JSON.writeValueAsString(message), true).get(10, TimeUnit.SECONDS);
    JsonNode answer = reply.get(60, TimeUnit.SECONDS);
    if (answer.has("error")) {
      throw new IllegalStateException(method + ": " + answer.get("error"));
    }
    return answer.path("result");
  }

  void navigate(String url) throws Exception {
    call("Page.navigate", Map.of("url", url));
  }

  /** Evaluates a JavaScript expression in the page; its value, as JSON. */
  JsonNode eval(String expression) throws Exception {
    JsonNode r =
        call(
            "Runtime.evaluate",
            Map.of("expression", expression, "returnByValue", true, "awaitPromise", true));
    if (r.has("exceptionDetails")) {
      throw new IllegalStateException(expression + ": " + r.get("exceptionDetails"));
    }
    return r.path("result").path("value");
  }

  /** The page as a PNG of {@code width} x {@code height} CSS pixels. */
  byte[] screenshot(int width, int height) throws Exception {
    call(
        "Emulation.setDeviceMetricsOverride",
        Map.of("width", width, "height", height, "deviceScaleFactor", 1, "mobile", false));
    JsonNode shot = call("Page.captureScreenshot", Map.of("format", "png"));
    return Base64.getDecoder().decode(shot.path("data").asText());
  }

  @Override
  public void close() {
    socket.abort();
    // Its helper processes (zygote, renderer, GPU, crash handler) write into the profile too, and
    // may outlive the browser for a moment: a caller deleting the profile must find them gone.
    List<ProcessHandle> helpers = process.descendants().toList();
    process.destroy();
    try {
      if (!process.waitFor(10, TimeUnit.SECONDS)) {
        process.destroyForcibly().waitFor();
      }
      helpers.forEach(ProcessHandle::destroy);
      for (ProcessHandle helper : helpers) {
        try {
          helper.onExit().get(5, TimeUnit.SECONDS);
        } catch (TimeoutException | ExecutionException e) {
          helper.destroyForcibly();
          helper.onExit().get(5, TimeUnit.SECONDS);
        }
      }
    } catch (InterruptedException e) {
      process.destroyForcibly();
      helpers.forEach(ProcessHandle::destroyForcibly);
      Thread.currentThread().interrupt();
    } catch (TimeoutException | ExecutionException e) {
      throw new IllegalStateException("a chromium helper process did not exit", e);
    }
  }

  /** Collects each message's frames and completes the command it answers. */
  private final class Replies implements WebSocket.Listener {
    private final StringBuilder text = new StringBuilder();

    @Override
    public CompletionStage<?> onText(WebSocket ws, CharSequence data, boolean last) {
      text.append(data);
      if (last) {
        try {
          JsonNode message = JSON.readTree(text.toString());
          CompletableFuture<JsonNode> reply =
              message.has("id") ? waiting.remove(message.get("id").asInt()) : null;
          if (reply != null) {
            reply.complete(message);
          }
        } catch (IOException e) {
          waiting.values().forEach(f -> f.completeExceptionally(e));
        }
        text.setLength(0);
      }
      ws.request(1);
      return null;
    }

    @Override
    public void onError(WebSocket ws, Throwable error) {
      waiting.values().forEach(f -> f.completeExceptionally(error));
    }
  }

  static List<String> names() {
    return List.of("chromium", "chromium-browser", "google-chrome");
  }
}
