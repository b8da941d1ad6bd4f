package dev.thaw.cli;

import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JavaType;
import com.fasterxml.jackson.databind.ObjectReader;
import dev.thaw.api.FiringView;
import dev.thaw.api.Leaderboard;
import dev.thaw.api.ScheduleReport;
import dev.thaw.api.ScheduleView;
import dev.thaw.api.SweepDetail;
import dev.thaw.api.SweepSummary;
import dev.thaw.auth.ClientToken;
import dev.thaw.auth.TokenRole;
import dev.thaw.data.ThawPaths;
import dev.thaw.json.ThawJson;
import dev.thaw.protocol.ApiError;
import java.io.IOException;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The orchestrator's sweep API ({@code /api/v1/sweeps}) over HTTP. Every failure is an {@link
 * OrchestratorException} naming the URL: connection problems, {@code ApiError} replies, and replies
 * that are not the orchestrator's JSON.
 *
 * <p>Every call carries {@code Authorization: Bearer <API token>} when there is one: {@code
 * THAW_API_TOKEN}, else the token file of an orchestrator on this host, sent only to a loopback URL
 * ({@link ClientToken#find}). A 401 or 403 names the token to set.
 */
final class OrchestratorClient {
  static final Duration TIMEOUT = Duration.ofSeconds(30);

  private final URI base;
  private final HttpClient http;
  private final Path cacheDir;
  private final Optional<ClientToken> token;

  /**
   * @param baseUrl the orchestrator, e.g. {@code http://localhost:8080}
   * @throws IllegalArgumentException when it is not an http(s) URL
   */
  OrchestratorClient(String baseUrl) {
    this(baseUrl, System.getenv(), ThawPaths.cacheDir());
  }

  /** As {@link #OrchestratorClient(String)}, with the token looked up in {@code env} and files. */
  OrchestratorClient(String baseUrl, Map<String, String> env, Path cacheDir) {
    this.base = parse(baseUrl);
    this.http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(10)).build();
    this.cacheDir = cacheDir;
    this.token = ClientToken.find(TokenRole.API, base, env, cacheDir);
  }

  URI base() {
    return base;
  }

  /** Where the token sent comes from ({@code THAW_API_TOKEN} or a file); empty when none is. */
  Optional<String> tokenSource() {
    return token.map(ClientToken::source);
  }

  /**
   * Submits a sweep file's text.
   *
   * @param origin the file name, used in the orchestrator's error messages
   */
  SweepSummary submit(String yaml, String origin) {
    URI url = url("/api/v1/sweeps?origin=" + encode(origin));
    HttpRequest request =
        request(url)
            .timeout(TIMEOUT)
            .header("Content-Type", "application/yaml")
            .header("Accept", "application/json")
            .POST(HttpRequest.BodyPublishers.ofString(yaml, StandardCharsets.UTF_8))
            .build();
    return send(request, type(SweepSummary.class));
  }

  /** Every sweep, newest first. */
  List<SweepSummary> list() {
    return send(
        get("/api/v1/sweeps"),
        ThawJson.mapper().getTypeFactory().constructCollectionType(List.class, SweepSummary.class));
  }

  SweepDetail detail(String id) {
    return send(get("/api/v1/sweeps/" + encode(id)), type(SweepDetail.class));
  }

  Leaderboard leaderboard(String id, int limit) {
    return send(
        get("/api/v1/sweeps/" + encode(id) + "/leaderboard?limit=" + limit),
        type(Leaderboard.class));
  }

  SweepSummary cancel(String id) {
    URI url = url("/api/v1/sweeps/" + encode(id) + "/cancel");
    HttpRequest request =
        request(url)
            .timeout(TIMEOUT)
            .header("Accept", "application/json")
            .POST(HttpRequest.BodyPublishers.noBody())
            .build();
    return send(request, type(SweepSummary.class));
  }

  /** Registers a scheduled sweep file's text (POST /api/v1/schedules). */
  ScheduleView register(String yaml, String origin) {
    HttpRequest request =
        request(url("/api/v1/schedules?origin=" + encode(origin)))
            .timeout(TIMEOUT)
            .header("Content-Type", "application/yaml")
            .header("Accept", "application/json")
            .POST(HttpRequest.BodyPublishers.ofString(yaml, StandardCharsets.UTF_8))
            .build();
    return send(request, type(ScheduleView.class));
  }

  /** Every schedule, by name. */
  List<ScheduleView> schedules() {
    return send(
        get("/api/v1/schedules"),
        ThawJson.mapper().getTypeFactory().constructCollectionType(List.class, ScheduleView.class));
  }

  /** Pauses or resumes a schedule (by id or sweep name). */
  ScheduleView pauseSchedule(String idOrName, boolean pause) {
    return send(
        postNoBody("/api/v1/schedules/" + encode(idOrName) + (pause ? "/pause" : "/resume")),
        type(ScheduleView.class));
  }

  /** Fires a schedule now. */
  FiringView trigger(String idOrName) {
    return send(
        postNoBody("/api/v1/schedules/" + encode(idOrName) + "/trigger"), type(FiringView.class));
  }

  /** The morning report of an execution (the latest when {@code execution} is null). */
  ScheduleReport report(String idOrName, Integer execution) {
    return send(
        get(
            "/api/v1/schedules/"
                + encode(idOrName)
                + "/report"
                + (execution == null ? "" : "?execution=" + execution)),
        type(ScheduleReport.class));
  }

  private HttpRequest postNoBody(String path) {
    return request(url(path))
        .timeout(TIMEOUT)
        .header("Accept", "application/json")
        .POST(HttpRequest.BodyPublishers.noBody())
        .build();
  }

  /** The one sweep whose id starts with {@code prefix} (see {@link SweepIds#resolve}). */
  String resolve(String prefix) {
    return SweepIds.resolve(prefix, list(), base);
  }

  /** A request builder with the bearer token, if there is one. */
  private HttpRequest.Builder request(URI url) {
    HttpRequest.Builder builder = HttpRequest.newBuilder(url);
    token.ifPresent(t -> builder.header("Authorization", "Bearer " + t.value()));
    return builder;
  }

  private HttpRequest get(String path) {
    return request(url(path)).timeout(TIMEOUT).header("Accept", "application/json").GET().build();
  }

  private <T> T send(HttpRequest request, JavaType type) {
    HttpResponse<String> response;
    try {
      response = http.send(request, HttpResponse.BodyHandlers.ofString(StandardCharsets.UTF_8));
    } catch (IOException e) {
      throw OrchestratorException.unreachable(request.method(), request.uri(), e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw OrchestratorException.unreachable(request.method(), request.uri(), e);
    }
    int status = response.statusCode();
    String body = response.body();
    if (status == 401 || status == 403) {
      throw OrchestratorException.refusedToken(
          request.method(),
          request.uri(),
          status,
          apiError(body),
          ClientToken.hint(TokenRole.API, status, token, base, cacheDir));
    }
    if (status / 100 != 2) {
      ApiError error = apiError(body);
      throw error == null
          ? OrchestratorException.unexpected(request.method(), request.uri(), status, body)
          : OrchestratorException.replied(request.method(), request.uri(), status, error);
    }
    try {
      return reader(type).readValue(body);
    } catch (IOException e) {
      throw OrchestratorException.unexpected(request.method(), request.uri(), status, body);
    }
  }

  private static ApiError apiError(String body) {
    try {
      ApiError error = reader(type(ApiError.class)).readValue(body);
      return error == null || error.error() == null ? null : error;
    } catch (IOException e) {
      return null;
    }
  }

  /** Lenient on unknown keys, so a newer orchestrator's additions do not break an older CLI. */
  private static ObjectReader reader(JavaType type) {
    return ThawJson.mapper()
        .readerFor(type)
        .without(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES);
  }

  private static JavaType type(Class<?> c) {
    return ThawJson.mapper().constructType(c);
  }

  private URI url(String pathAndQuery) {
    return URI.create(base + pathAndQuery);
  }

  /** Percent-encodes a path segment or query value (a space is %20, never +). */
  private static String encode(String value) {
    return URLEncoder.encode(value, StandardCharsets.UTF_8).replace("+", "%20");
  }

  private static URI parse(String baseUrl) {
    URI uri;
    try {
      uri = URI.create(baseUrl.strip().replaceAll("/+$", ""));
    } catch (IllegalArgumentException e) {
      throw new IllegalArgumentException(
          "--orchestrator: not a URL: '" + baseUrl + "' (e.g. http://localhost:8080)", e);
    }
    if (!("http".equals(uri.getScheme()) || "https".equals(uri.getScheme()))
        || uri.getHost() == null) {
      throw new IllegalArgumentException(
          "--orchestrator must be an http(s) URL with a host, e.g. http://localhost:8080 (got '"
              + baseUrl
              + "')");
    }
    return uri;
  }
}
