package dev.thaw.orchestrator.metrics;

import io.quarkus.vertx.http.runtime.filters.Filters;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.Locale;

/**
 * Asks for {@code thaw.metrics.token} ({@code THAW_METRICS_TOKEN}) on {@code /q/metrics} when it is
 * set: a Vert.x route filter, as the endpoint is no REST resource (the REST API's {@code
 * BearerAuthFilter} never sees it). Unset, the metrics are open like {@code /q/health}. Compared in
 * constant time; a refusal is a JSON 401 with {@code WWW-Authenticate: Bearer}.
 */
@ApplicationScoped
class MetricsTokenFilter {
  private static final String PATH = "/q/metrics";
  private static final String BEARER = "bearer ";

  void register(@Observes Filters filters, MetricsSettings settings) {
    String token = settings.token().map(String::strip).filter(t -> !t.isEmpty()).orElse(null);
    if (token == null) {
      return;
    }
    byte[] expected = token.getBytes(StandardCharsets.UTF_8);
    filters.register(
        rc -> {
          String path = rc.normalizedPath();
          if (!path.equals(PATH) && !path.startsWith(PATH + "/")) {
            rc.next();
            return;
          }
          String header = rc.request().getHeader("Authorization");
          boolean ok =
              header != null
                  && header.length() > BEARER.length()
                  && header.substring(0, BEARER.length()).toLowerCase(Locale.ROOT).equals(BEARER)
                  && MessageDigest.isEqual(
                      expected,
                      header.substring(BEARER.length()).strip().getBytes(StandardCharsets.UTF_8));
          if (ok) {
            rc.next();
            return;
          }
          rc.response()
              .setStatusCode(401)
              .putHeader("WWW-Authenticate", "Bearer realm=\"thaw\"")
              .putHeader("Content-Type", "application/json")
              .end(
                  "{\"error\":\"unauthorized\",\"message\":\"/q/metrics needs the metrics token"
                      + " (THAW_METRICS_TOKEN), sent as 'Authorization: Bearer <token>'\","
                      + "\"details\":[]}");
        },
        // Before the metrics route and the REST layer.
        100);
  }
}
