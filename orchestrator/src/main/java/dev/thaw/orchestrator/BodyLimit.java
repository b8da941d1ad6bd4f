package dev.thaw.orchestrator;

import io.quarkus.runtime.configuration.MemorySize;
import io.vertx.core.http.HttpHeaders;
import io.vertx.ext.web.Router;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import org.eclipse.microprofile.config.inject.ConfigProperty;

/**
 * Refuses a request whose declared body is larger than {@code quarkus.http.limits.max-body-size}
 * before a byte of it is parsed: HTTP 413 with the usual JSON error at once, and {@code Connection:
 * close}, so a client that keeps sending learns to stop; what it still sends is dropped unread
 * (closing the connection at once instead would make many clients report a broken pipe and never
 * see the answer). Quarkus enforces the same limit on bodies sent without a length (chunked), with
 * a bare 413; this handler runs just before it and only adds the JSON answer for the common case, a
 * body with a {@code Content-Length}.
 */
@ApplicationScoped
public class BodyLimit {
  /** Before Quarkus's own limit handler (order -2). */
  private static final int ORDER = -3;

  private final long maxBytes;

  BodyLimit(@ConfigProperty(name = "quarkus.http.limits.max-body-size") MemorySize max) {
    this.maxBytes = max.asLongValue();
  }

  void install(@Observes Router router) {
    router
        .route()
        .order(ORDER)
        .handler(
            rc -> {
              long declared = declaredLength(rc.request().getHeader(HttpHeaders.CONTENT_LENGTH));
              if (declared <= maxBytes) {
                rc.next();
                return;
              }
              String body =
                  "{\"error\":\"payload_too_large\",\"message\":\"the request body of "
                      + declared
                      + " bytes is larger than this server takes ("
                      + maxBytes
                      + " bytes, quarkus.http.limits.max-body-size)\",\"details\":[]}";
              rc.response()
                  .setStatusCode(413)
                  .putHeader(HttpHeaders.CONTENT_TYPE, "application/json")
                  .putHeader(HttpHeaders.CONNECTION, "close")
                  .end(body);
            });
  }

  /** The declared length, or -1 when there is none (or it is not a number: Vert.x refuses it). */
  private static long declaredLength(String header) {
    if (header == null) {
      return -1;
    }
    try {
      return Long.parseLong(header.strip());
    } catch (NumberFormatException e) {
      return -1;
    }
  }
}
