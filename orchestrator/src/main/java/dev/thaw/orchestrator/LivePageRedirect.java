package dev.thaw.orchestrator;

import io.quarkus.vertx.http.runtime.filters.Filters;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;

/**
 * {@code /ui} without its slash goes to the live sweep page, {@code /ui/} (static files under
 * {@code META-INF/resources/ui/}; their relative links need the slash).
 */
@ApplicationScoped
class LivePageRedirect {
  void register(@Observes Filters filters) {
    filters.register(
        rc -> {
          if ("/ui".equals(rc.normalizedPath())) {
            rc.response().setStatusCode(301).putHeader("Location", "/ui/").end();
          } else {
            rc.next();
          }
        },
        90);
  }
}
