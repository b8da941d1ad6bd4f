package dev.thaw.orchestrator.auth;

import dev.thaw.auth.TokenRole;
import dev.thaw.protocol.ApiError;
import jakarta.ws.rs.core.HttpHeaders;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import org.jboss.resteasy.reactive.server.ServerRequestFilter;
import org.jboss.resteasy.reactive.server.SimpleResourceInfo;

/**
 * Bearer-token authentication of every REST call: the API token for the user API, the worker token
 * for resources marked {@code @RequiresToken(WORKER)}, none for {@link NoToken} resources. No
 * token, or one the orchestrator does not know, is 401 with {@code WWW-Authenticate: Bearer}; a
 * known token of the other role is 403. Both with the usual {@link ApiError} body.
 *
 * <p>Why a Quarkus REST filter and not Quarkus Security (an {@code HttpAuthenticationMechanism}
 * with roles): there are two fixed tokens and two roles, nothing to look up, no sessions. A filter
 * after resource matching decides by the resource class, so a resource nobody marked needs the API
 * token (closed by default) and no path pattern can drift from the code; its refusals go through
 * the same JSON error body as every other 4xx, where Quarkus Security's proactive authentication
 * answers from the HTTP layer before JAX-RS exception mappers run; and it needs no further
 * extension. Health ({@code /q/health}) and OpenAPI ({@code /q/openapi}, Swagger UI) are not REST
 * resources and stay open.
 */
public class BearerAuthFilter {
  private static final String BEARER = "bearer ";

  private final ApiTokens tokens;

  BearerAuthFilter(ApiTokens tokens) {
    this.tokens = tokens;
  }

  @ServerRequestFilter
  public Optional<Response> authenticate(SimpleResourceInfo resource, HttpHeaders headers) {
    Class<?> type = resource.getResourceClass();
    if (type == null || type.isAnnotationPresent(NoToken.class)) {
      return Optional.empty();
    }
    RequiresToken marked = type.getAnnotation(RequiresToken.class);
    TokenRole needed = marked == null ? TokenRole.API : marked.value();
    List<String> given = headers.getRequestHeader(HttpHeaders.AUTHORIZATION);
    if (given == null || given.isEmpty()) {
      return Optional.of(unauthorized(needed, "", "no bearer token"));
    }
    String header = given.get(0).strip();
    if (given.size() > 1
        || header.length() <= BEARER.length()
        || !header.substring(0, BEARER.length()).toLowerCase(Locale.ROOT).equals(BEARER)) {
      return Optional.of(
          unauthorized(
              needed,
              ", error=\"invalid_request\"",
              "the Authorization header is not one 'Bearer <token>'"));
    }
    Optional<TokenRole> role = tokens.roleOf(header.substring(BEARER.length()).strip());
    if (role.isEmpty()) {
      return Optional.of(
          unauthorized(
              needed,
              ", error=\"invalid_token\"",
              "the bearer token is not one of this orchestrator's tokens"));
    }
    if (role.get() != needed) {
      return Optional.of(
          Response.status(Response.Status.FORBIDDEN)
              .type(MediaType.APPLICATION_JSON)
              .entity(
                  new ApiError(
                      "forbidden",
                      role.get().title()
                          + " cannot call "
                          + needed.scope()
                          + "; send "
                          + needed.title()
                          + " ("
                          + needed.envVar()
                          + ")",
                      List.of()))
              .build());
    }
    return Optional.empty();
  }

  /** 401 with a challenge ({@code error} is RFC 6750's attribute, or empty when none was sent). */
  private static Response unauthorized(TokenRole needed, String error, String problem) {
    return Response.status(Response.Status.UNAUTHORIZED)
        .header(HttpHeaders.WWW_AUTHENTICATE, "Bearer realm=\"thaw\"" + error)
        .type(MediaType.APPLICATION_JSON)
        .entity(
            new ApiError(
                "unauthorized",
                problem
                    + ": this call needs "
                    + needed.title()
                    + " ("
                    + needed.envVar()
                    + "), sent as 'Authorization: Bearer <token>'",
                List.of()))
        .build();
  }
}
