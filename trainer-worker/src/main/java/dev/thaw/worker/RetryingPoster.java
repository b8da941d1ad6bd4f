package dev.thaw.worker;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectWriter;
import com.fasterxml.jackson.databind.SerializationFeature;
import dev.thaw.auth.ClientToken;
import dev.thaw.json.ThawJson;
import dev.thaw.protocol.ApiError;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * POSTs JSON to the orchestrator, retrying transient trouble (the connection refused or timed out,
 * HTTP 5xx, 408, 429) with {@link HttpTrialSource.Settings#retryBackoff()} until a deadline, then
 * {@link OrchestratorUnavailableException}. Every request carries {@code Authorization: Bearer
 * <token>} when a token is given. A report on a lease is retried for as long as the lease may still
 * be valid ({@link #reportDeadline}). What a non-transient status means is the caller's business
 * ({@link HttpTrialSource}).
 */
final class RetryingPoster implements AutoCloseable {
  /** Logs under the source's name, as the worker's log always has. */
  private static final Logger LOG = LoggerFactory.getLogger(HttpTrialSource.class);

  private final String base;
  private final HttpTrialSource.Settings settings;
  private final Optional<ClientToken> token;
  private final HttpClient client;
  private final ObjectWriter writer =
      ThawJson.mapper().writer().without(SerializationFeature.INDENT_OUTPUT);

  /** Nanotime until which each open lease may still be valid, from the latest reply about it. */
  private final Map<String, Long> leaseValidUntil = new ConcurrentHashMap<>();

  /**
   * @param base the orchestrator's base URL without a trailing slash
   */
  RetryingPoster(String base, HttpTrialSource.Settings settings, Optional<ClientToken> token) {
    this.base = base;
    this.settings = settings;
    this.token = token;
    this.client =
        HttpClient.newBuilder()
            .version(HttpClient.Version.HTTP_1_1)
            .connectTimeout(settings.connectTimeout())
            .build();
  }

  /**
   * Notes that {@code leaseId} may be valid for {@code seconds} from {@code start} (a nanotime).
   */
  void leaseValid(String leaseId, long start, long seconds) {
    leaseValidUntil.put(leaseId, start + Duration.ofSeconds(seconds).toNanos());
  }

  /** Forgets a lease that ended, was lost or was reported on. */
  void leaseEnded(String leaseId) {
    leaseValidUntil.remove(leaseId);
  }

  /**
   * The nanotime until which a report on {@code leaseId} is retried: the retry budget from now, or
   * longer while the lease may still be valid.
   */
  long reportDeadline(String leaseId) {
    long budgetEnd = System.nanoTime() + settings.retryBudget().toNanos();
    long leaseEnd = leaseValidUntil.getOrDefault(leaseId, budgetEnd);
    return Math.max(budgetEnd, leaseEnd);
  }

  /**
   * POSTs {@code body} as JSON to {@code base + path} and returns the first reply whose status is
   * not transient, retrying until {@code deadline} (a nanotime). A 2xx reply or one of status
   * {@code answer} counts as success ("succeeded on attempt N" when it took more than one).
   *
   * @throws OrchestratorUnavailableException when the deadline comes before a non-transient reply
   * @throws TrialSourceException when the thread is interrupted
   */
  HttpResponse<String> post(String path, Object body, long deadline, int answer) {
    String call = "POST " + path;
    HttpRequest request;
    try {
      HttpRequest.Builder builder =
          HttpRequest.newBuilder(URI.create(base + path))
              .timeout(settings.requestTimeout())
              .header("Content-Type", "application/json")
              .header("Accept", "application/json")
              .POST(HttpRequest.BodyPublishers.ofString(writer.writeValueAsString(body)));
      token.ifPresent(t -> builder.header("Authorization", "Bearer " + t.value()));
      request = builder.build();
    } catch (JsonProcessingException e) {
      throw new IllegalStateException("cannot write the body of " + call, e);
    }
    long start = System.nanoTime();
    for (int attempt = 1; ; attempt++) {
      String problem;
      Throwable cause = null;
      try {
        HttpResponse<String> reply = client.send(request, HttpResponse.BodyHandlers.ofString());
        int status = reply.statusCode();
        if (status / 100 == 2 || status == answer) {
          if (attempt > 1) {
            LOG.info("orchestrator {}: {} succeeded on attempt {}", base, call, attempt);
          }
          return reply;
        }
        if (!isTransient(status)) {
          return reply;
        }
        problem = "HTTP " + status + " " + errorMessage(reply, "");
      } catch (IOException e) {
        problem = describe(e);
        cause = e;
      } catch (InterruptedException e) {
        throw interrupted(call, e);
      }
      Duration delay = settings.retryBackoff().delay(attempt);
      if (System.nanoTime() + delay.toNanos() > deadline) {
        throw new OrchestratorUnavailableException(
            String.format(
                Locale.ROOT,
                "orchestrator %s unreachable: %s failed %d time(s) in %.1f s; last: %s",
                base,
                call,
                attempt,
                (System.nanoTime() - start) / 1e9,
                problem.strip()),
            cause);
      }
      if (attempt == 1) {
        LOG.warn("orchestrator {}: {} failed ({}); retrying", base, call, problem.strip());
      }
      try {
        Thread.sleep(delay);
      } catch (InterruptedException e) {
        throw interrupted(call, e);
      }
    }
  }

  @Override
  public void close() {
    client.close();
  }

  private TrialSourceException interrupted(String call, InterruptedException e) {
    Thread.currentThread().interrupt();
    return new TrialSourceException(
        "orchestrator " + base + ": " + call + " interrupted (the worker is stopping)", e);
  }

  private static boolean isTransient(int status) {
    return status >= 500 || status == 408 || status == 429;
  }

  private String describe(IOException e) {
    for (Throwable t = e; t != null; t = t.getCause()) {
      // A name no DNS knows: typically a container or service name used outside its network.
      if (t instanceof java.nio.channels.UnresolvedAddressException
          || t instanceof java.net.UnknownHostException) {
        return "cannot resolve the host name '"
            + java.net.URI.create(base).getHost()
            + "' (no such host from here)";
      }
    }
    String what =
        e instanceof java.net.ConnectException
            ? "cannot connect"
            : e instanceof java.net.http.HttpTimeoutException
                ? "timed out"
                : e.getClass().getSimpleName();
    for (Throwable t = e; t != null; t = t.getCause()) {
      if (t.getMessage() != null && !t.getMessage().isBlank()) {
        return what + " (" + t.getMessage() + ")";
      }
    }
    return what;
  }

  /** The ApiError's message and details, or the start of a body that is not one. */
  static String errorMessage(HttpResponse<String> reply, String fallback) {
    String body = reply.body() == null ? "" : reply.body().strip();
    if (body.isEmpty()) {
      return fallback;
    }
    try {
      ApiError error = ThawJson.mapper().readValue(body, ApiError.class);
      String text = error.message() != null ? error.message() : error.error();
      if (!error.details().isEmpty()) {
        text += ": " + String.join("; ", error.details());
      }
      return error.error() != null ? "(" + error.error() + ") " + text : text;
    } catch (JsonProcessingException e) {
      return body.length() > 200 ? body.substring(0, 200) + "..." : body;
    }
  }
}
