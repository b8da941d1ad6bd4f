package dev.thaw.cli;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * A STAND-IN for the orchestrator in CLI tests: a JDK {@link HttpServer} on 127.0.0.1 that answers
 * canned JSON (see {@link CannedJson}) in the orchestrator's shapes. It runs no sweeps; the real
 * orchestrator is tested end to end in its own module.
 *
 * <p>Each route ({@code "GET /api/v1/sweeps"}) answers its replies in order and repeats the last
 * one; a route without replies answers 404 with an {@code ApiError}, as the orchestrator does.
 */
final class StandInOrchestrator implements AutoCloseable {
  /** One request as received. */
  record Request(
      String method,
      String path,
      String query,
      String contentType,
      String body,
      String authorization) {}

  private record Reply(int status, String json) {}

  private final HttpServer server;
  private final Map<String, Deque<Reply>> routes = new ConcurrentHashMap<>();
  private final List<Request> requests = new CopyOnWriteArrayList<>();

  StandInOrchestrator() throws IOException {
    server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
    server.createContext("/", this::handle);
    server.start();
  }

  /** The base URL, e.g. {@code http://127.0.0.1:41234}. */
  String url() {
    return "http://127.0.0.1:" + server.getAddress().getPort();
  }

  /** Adds replies to {@code method path}, answered in order, the last one repeated. */
  StandInOrchestrator on(String method, String path, int status, String... jsonReplies) {
    Deque<Reply> replies = routes.computeIfAbsent(method + " " + path, k -> new ArrayDeque<>());
    synchronized (replies) {
      for (String json : jsonReplies) {
        replies.addLast(new Reply(status, json));
      }
    }
    return this;
  }

  List<Request> requests() {
    return List.copyOf(requests);
  }

  long count(String method, String path) {
    return requests.stream()
        .filter(r -> r.method().equals(method) && r.path().equals(path))
        .count();
  }

  private void handle(HttpExchange exchange) throws IOException {
    try (exchange) {
      String method = exchange.getRequestMethod();
      String path = exchange.getRequestURI().getPath();
      String body = new String(exchange.getRequestBody().readAllBytes(), StandardCharsets.UTF_8);
      requests.add(
          new Request(
              method,
              path,
              exchange.getRequestURI().getQuery(),
              exchange.getRequestHeaders().getFirst("Content-Type"),
              body,
              exchange.getRequestHeaders().getFirst("Authorization")));
      Reply reply = next(method + " " + path);
      byte[] bytes = reply.json().getBytes(StandardCharsets.UTF_8);
      exchange.getResponseHeaders().set("Content-Type", "application/json");
      exchange.sendResponseHeaders(reply.status(), bytes.length);
      try (OutputStream out = exchange.getResponseBody()) {
        out.write(bytes);
      }
    }
  }

  private Reply next(String route) {
    Deque<Reply> replies = routes.get(route);
    if (replies == null) {
      return new Reply(404, CannedJson.apiError("not_found", "no route " + route));
    }
    synchronized (replies) {
      return replies.size() > 1 ? replies.removeFirst() : replies.getFirst();
    }
  }

  @Override
  public void close() {
    server.stop(0);
  }
}
