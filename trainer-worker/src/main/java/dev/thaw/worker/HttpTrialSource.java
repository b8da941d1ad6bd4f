package dev.thaw.worker;

import com.fasterxml.jackson.core.JsonProcessingException;
import dev.thaw.auth.ClientToken;
import dev.thaw.auth.TokenRole;
import dev.thaw.data.ThawPaths;
import dev.thaw.json.ThawJson;
import dev.thaw.protocol.ApiError;
import dev.thaw.protocol.Failure;
import dev.thaw.protocol.HandBack;
import dev.thaw.protocol.Heartbeat;
import dev.thaw.protocol.HeartbeatReply;
import dev.thaw.protocol.Lease;
import dev.thaw.protocol.LeaseRequest;
import dev.thaw.trial.TrialResult;
import java.net.URI;
import java.net.URISyntaxException;
import java.net.URLEncoder;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Locale;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The orchestrator's lease protocol over HTTP ({@code java.net.http}), JSON with snake_case keys.
 *
 * <p>Transient trouble (the connection refused or timed out, HTTP 5xx, 408, 429) is retried by a
 * {@link RetryingPoster} with capped exponential backoff: a heartbeat for up to {@link
 * Settings#retryBudget()}, a complete or fail call for at least that long and for as long as the
 * lease may still be valid, so a worker rides out an orchestrator restart and never gives up a
 * result the orchestrator could still accept. A lease call is tried once: the worker's poll loop is
 * its retry, with its own backoff, idle timeout and stop. {@link #completeAndLease} is one call,
 * {@code complete?next=true}, retried as a complete. HTTP 409 is {@link LeaseLostException}; any
 * other 4xx is a {@link TrialSourceException} with the orchestrator's {@link ApiError} message.
 * Every error names the orchestrator's URL and the call.
 *
 * <p>Every call carries {@code Authorization: Bearer <worker token>} when a token is given (see
 * {@link #forOrchestrator}); a 401 or 403 is a {@link TrialSourceException} that says which token
 * to set, so a worker with a wrong or missing token stops at its first lease instead of retrying.
 */
public final class HttpTrialSource implements TrialSource, AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger(HttpTrialSource.class);
  private static final String API = "/api/v1/leases";

  /**
   * Timeouts and retries.
   *
   * @param connectTimeout how long to wait for a connection
   * @param requestTimeout how long to wait for a reply once connected
   * @param retryBackoff delays between attempts after a transient failure
   * @param retryBudget how long a heartbeat keeps retrying; complete and fail at least this long
   */
  public record Settings(
      Duration connectTimeout,
      Duration requestTimeout,
      Backoff retryBackoff,
      Duration retryBudget) {

    /** 5 s to connect, 30 s for a reply, retries from 200 ms doubling to 5 s, for 60 s. */
    public static Settings defaults() {
      return new Settings(
          Duration.ofSeconds(5),
          Duration.ofSeconds(30),
          new Backoff(Duration.ofMillis(200), Duration.ofSeconds(5)),
          Duration.ofSeconds(60));
    }
  }

  private final URI baseUrl;
  private final String base;
  private final Settings settings;
  private final Optional<ClientToken> token;
  private final RetryingPoster poster;

  /**
   * A source with the default settings and no token; see {@link #parseBaseUrl} for the URL. An
   * orchestrator that requires a worker token refuses it: use {@link #forOrchestrator}.
   */
  public HttpTrialSource(String baseUrl) {
    this(parseBaseUrl(baseUrl), Settings.defaults(), Optional.empty());
  }

  /**
   * A source that sends {@code token} as its bearer token (none when empty).
   *
   * @param token the worker token and where it came from (named in 401/403 messages)
   */
  public HttpTrialSource(URI baseUrl, Settings settings, Optional<ClientToken> token) {
    this.baseUrl = baseUrl;
    this.token = token;
    String text = baseUrl.toString();
    this.base = text.endsWith("/") ? text.substring(0, text.length() - 1) : text;
    this.settings = settings;
    this.poster = new RetryingPoster(base, settings, token);
  }

  /**
   * A source that sends the worker token found by {@link ClientToken#find}: {@code
   * THAW_WORKER_TOKEN}, else the token file of an orchestrator on this host (only when {@code
   * baseUrl} is a loopback URL).
   */
  public static HttpTrialSource forOrchestrator(URI baseUrl, Settings settings) {
    return new HttpTrialSource(
        baseUrl,
        settings,
        ClientToken.find(TokenRole.WORKER, baseUrl, System.getenv(), ThawPaths.cacheDir()));
  }

  /** Where this source's token came from ({@code THAW_WORKER_TOKEN} or a file), if it has one. */
  public Optional<String> tokenSource() {
    return token.map(ClientToken::source);
  }

  /**
   * Checks an orchestrator base URL such as {@code http://host:8080} (a path prefix is allowed).
   *
   * @throws IllegalArgumentException naming the URL and what a valid one looks like
   */
  public static URI parseBaseUrl(String text) {
    String hint = "; use http(s)://HOST[:PORT][/PATH], e.g. http://localhost:8080";
    if (text == null || text.isBlank()) {
      throw new IllegalArgumentException("orchestrator URL is empty" + hint);
    }
    URI uri;
    try {
      uri = new URI(text.trim());
    } catch (URISyntaxException e) {
      throw new IllegalArgumentException(
          "orchestrator URL '" + text + "' is malformed: " + e.getReason() + hint, e);
    }
    String scheme = uri.getScheme() == null ? "" : uri.getScheme().toLowerCase(Locale.ROOT);
    if (!scheme.equals("http") && !scheme.equals("https")) {
      throw new IllegalArgumentException(
          "orchestrator URL '" + text + "' must start with http:// or https://" + hint);
    }
    if (uri.getHost() == null) {
      throw new IllegalArgumentException("orchestrator URL '" + text + "' has no host" + hint);
    }
    if (uri.getRawQuery() != null || uri.getRawFragment() != null) {
      throw new IllegalArgumentException(
          "orchestrator URL '" + text + "' must not have a query or fragment" + hint);
    }
    return uri;
  }

  /** The orchestrator's base URL. */
  public URI baseUrl() {
    return baseUrl;
  }

  @Override
  public Optional<Lease> lease(LeaseRequest request) {
    long start = System.nanoTime();
    HttpResponse<String> reply = post(API, request, null, start, -1);
    if (reply.statusCode() == 204) {
      return Optional.empty();
    }
    Lease lease = read(reply, Lease.class, "POST " + API);
    poster.leaseValid(lease.leaseId(), start, lease.leaseSeconds());
    return Optional.of(lease);
  }

  @Override
  public HeartbeatReply heartbeat(String leaseId, Heartbeat heartbeat) {
    String path = leasePath(leaseId, "heartbeat");
    long start = System.nanoTime();
    HttpResponse<String> reply =
        post(path, heartbeat, leaseId, start + settings.retryBudget().toNanos(), -1);
    HeartbeatReply answer = read(reply, HeartbeatReply.class, "POST " + path);
    poster.leaseValid(leaseId, start, answer.leaseSeconds());
    return answer;
  }

  @Override
  public void complete(String leaseId, TrialResult result) {
    report(leaseId, leasePath(leaseId, "complete"), result, -1);
  }

  @Override
  public void fail(String leaseId, Failure failure) {
    report(leaseId, leasePath(leaseId, "fail"), failure, -1);
  }

  /**
   * {@code POST .../hand-back}; an orchestrator that predates it answers 404, and then the trial is
   * reported as a retryable failure, as before.
   */
  @Override
  public void handBack(String leaseId, HandBack handBack) {
    HttpResponse<String> reply = report(leaseId, leasePath(leaseId, "hand-back"), handBack, 404);
    if (reply.statusCode() == 404) {
      LOG.info("orchestrator {} has no hand-back; reporting a retryable failure", base);
      fail(leaseId, new Failure(handBack.reason(), true));
    }
  }

  /**
   * {@code POST .../complete?next=true}: the orchestrator records the result and answers the next
   * lease for the completed lease's worker ({@code next} is not sent), or 204 when no trial is
   * ready (an orchestrator without the option answers 204 too). Retried as {@link #complete} is; as
   * there, a retry after a lost reply finds the lease ended (409), and a lease the orchestrator
   * granted with the lost reply expires and is requeued.
   */
  @Override
  public Optional<Lease> completeAndLease(String leaseId, TrialResult result, LeaseRequest next) {
    String path = leasePath(leaseId, "complete") + "?next=true";
    long start = System.nanoTime();
    HttpResponse<String> reply = report(leaseId, path, result, -1);
    if (reply.statusCode() == 204) {
      return Optional.empty();
    }
    Lease lease;
    try {
      lease = read(reply, Lease.class, "POST " + path);
    } catch (TrialSourceException e) {
      // The result is in; the unreadable lease expires on the orchestrator and is requeued.
      LOG.warn("{}; asking for a lease again", e.getMessage());
      return Optional.empty();
    }
    poster.leaseValid(lease.leaseId(), start, lease.leaseSeconds());
    return Optional.of(lease);
  }

  @Override
  public void close() {
    poster.close();
  }

  /**
   * Completes, fails or hands back a lease, retrying while the lease may still be valid; {@code
   * answer} is a status returned as is (-1 for none).
   */
  private HttpResponse<String> report(String leaseId, String path, Object body, int answer) {
    try {
      return post(path, body, leaseId, poster.reportDeadline(leaseId), answer);
    } finally {
      poster.leaseEnded(leaseId);
    }
  }

  private static String leasePath(String leaseId, String action) {
    String id = URLEncoder.encode(leaseId, StandardCharsets.UTF_8).replace("+", "%20");
    return API + "/" + id + "/" + action;
  }

  /**
   * POSTs {@code body} as JSON and returns a 2xx reply or one of status {@code answer}, retrying
   * transient failures until {@code deadline} (a nanotime). HTTP 409 is {@link LeaseLostException},
   * any other status a {@link TrialSourceException} (401 and 403 with a token hint).
   */
  private HttpResponse<String> post(
      String path, Object body, String leaseId, long deadline, int answer) {
    HttpResponse<String> reply = poster.post(path, body, deadline, answer);
    int status = reply.statusCode();
    if (status / 100 == 2 || status == answer) {
      return reply;
    }
    if (status == 409) {
      if (leaseId != null) {
        poster.leaseEnded(leaseId);
      }
      throw new LeaseLostException(
          leaseId == null ? "(none)" : leaseId, RetryingPoster.errorMessage(reply, "conflict"));
    }
    String refused =
        String.format(
            Locale.ROOT,
            "orchestrator %s refused POST %s: HTTP %d %s",
            base,
            path,
            status,
            RetryingPoster.errorMessage(reply, "no message"));
    if (status == 401 || status == 403) {
      throw new TrialSourceException(
          refused
              + "; "
              + ClientToken.hint(TokenRole.WORKER, status, token, baseUrl, ThawPaths.cacheDir()));
    }
    throw new TrialSourceException(refused);
  }

  private <T> T read(HttpResponse<String> reply, Class<T> type, String call) {
    try {
      return ThawJson.mapper().readValue(reply.body(), type);
    } catch (JsonProcessingException e) {
      throw new TrialSourceException(
          String.format(
              Locale.ROOT,
              "orchestrator %s: the reply to %s is not a %s: %s",
              base,
              call,
              type.getSimpleName(),
              e.getOriginalMessage()),
          e);
    }
  }
}
