package dev.thaw.worker;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;

/**
 * An HTTP test double of the orchestrator's side of the lease protocol: a real JDK HTTP server on
 * 127.0.0.1 that answers every request with the next scripted reply (or the fallback once the
 * script runs out) and records what it received.
 */
final class OrchestratorHttpDouble implements AutoCloseable {
  /** One request as received ({@code query} null when there is none). */
  record Request(
      String method,
      String path,
      String query,
      String contentType,
      String body,
      String authorization) {}

  /** One scripted reply; a null body sends none. */
  record Reply(int status, String body) {}

  private final HttpServer server;
  private final Deque<Reply> script = new ArrayDeque<>();
  private final List<Request> requests = new ArrayList<>();
  private Reply fallback = new Reply(204, null);

  private OrchestratorHttpDouble(HttpServer server) {
    this.server = server;
    server.createContext("/", this::handle);
    server.start();
  }

  /** Starts on a free port. */
  static OrchestratorHttpDouble start() throws IOException {
    return start(0);
  }

  /** Starts on the given port. */
  static OrchestratorHttpDouble start(int port) throws IOException {
    return new OrchestratorHttpDouble(
        HttpServer.create(new InetSocketAddress("127.0.0.1", port), 0));
  }

  URI baseUrl() {
    return URI.create("http://127.0.0.1:" + server.getAddress().getPort());
  }

  /** Queues replies, answered in order. */
  synchronized OrchestratorHttpDouble then(int status, String body) {
    script.add(new Reply(status, body));
    return this;
  }

  /** The reply once the script is used up (default 204). */
  synchronized OrchestratorHttpDouble otherwise(int status, String body) {
    fallback = new Reply(status, body);
    return this;
  }

  synchronized List<Request> requests() {
    return List.copyOf(requests);
  }

  private void handle(HttpExchange exchange) throws IOException {
    String body = new String(exchange.getRequestBody().readAllBytes(), StandardCharsets.UTF_8);
    Reply reply;
    synchronized (this) {
      requests.add(
          new Request(
              exchange.getRequestMethod(),
              exchange.getRequestURI().getRawPath(),
              exchange.getRequestURI().getRawQuery(),
              exchange.getRequestHeaders().getFirst("Content-Type"),
              body,
              exchange.getRequestHeaders().getFirst("Authorization")));
      reply = script.isEmpty() ? fallback : script.poll();
    }
    if (reply.body() == null) {
      exchange.sendResponseHeaders(reply.status(), -1);
    } else {
      byte[] bytes = reply.body().getBytes(StandardCharsets.UTF_8);
      exchange.getResponseHeaders().set("Content-Type", "application/json");
      exchange.sendResponseHeaders(reply.status(), bytes.length);
      exchange.getResponseBody().write(bytes);
    }
    exchange.close();
  }

  @Override
  public void close() {
    server.stop(0);
  }
}
