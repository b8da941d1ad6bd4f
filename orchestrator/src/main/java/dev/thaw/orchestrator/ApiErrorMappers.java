package dev.thaw.orchestrator;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonMappingException;
import com.fasterxml.jackson.databind.exc.MismatchedInputException;
import dev.thaw.orchestrator.leases.InvalidReportException;
import dev.thaw.orchestrator.leases.LeaseLostException;
import dev.thaw.protocol.ApiError;
import dev.thaw.sweep.InvalidSweepException;
import jakarta.ws.rs.NotFoundException;
import jakarta.ws.rs.NotSupportedException;
import jakarta.ws.rs.WebApplicationException;
import jakarta.ws.rs.core.HttpHeaders;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import java.util.List;
import java.util.Locale;
import org.jboss.resteasy.reactive.server.ServerExceptionMapper;

/** Turns the orchestrator's exceptions into 4xx replies with an {@link ApiError} body. */
public class ApiErrorMappers {
  private static final org.jboss.logging.Logger LOG =
      org.jboss.logging.Logger.getLogger(ApiErrorMappers.class);

  @ServerExceptionMapper
  public Response invalidSweep(InvalidSweepException e) {
    return reply(
        Response.Status.BAD_REQUEST,
        new ApiError(
            "invalid_sweep",
            e.getMessage().lines().findFirst().orElse("invalid sweep file"),
            e.errors().stream().map(Object::toString).toList()));
  }

  @ServerExceptionMapper
  public Response leaseLost(LeaseLostException e) {
    return reply(Response.Status.CONFLICT, new ApiError("lease_lost", e.getMessage(), List.of()));
  }

  /** A worker's report that does not fit its lease, with every problem found. */
  @ServerExceptionMapper
  public Response invalidReport(InvalidReportException e) {
    return reply(
        Response.Status.BAD_REQUEST, new ApiError("invalid_report", e.getMessage(), e.problems()));
  }

  @ServerExceptionMapper
  public Response notFound(NotFoundException e) {
    return reply(Response.Status.NOT_FOUND, new ApiError("not_found", e.getMessage(), List.of()));
  }

  @ServerExceptionMapper
  public Response badRequest(IllegalArgumentException e) {
    return reply(
        Response.Status.BAD_REQUEST, new ApiError("bad_request", e.getMessage(), List.of()));
  }

  /**
   * A request body that is not the JSON the call takes (malformed, or a field of the wrong type),
   * with the field's path and the line and column.
   */
  @ServerExceptionMapper
  public Response malformedJson(JsonProcessingException e) {
    String path = "";
    if (e instanceof JsonMappingException m && !m.getPath().isEmpty()) {
      path =
          m.getPath().stream()
                  .map(r -> r.getFieldName() != null ? r.getFieldName() : "[" + r.getIndex() + "]")
                  .reduce((a, b) -> b.startsWith("[") ? a + b : a + "." + b)
                  .orElse("")
              + ": ";
    }
    var at = e.getLocation();
    String where =
        at == null ? "" : " (line " + at.getLineNr() + ", column " + at.getColumnNr() + ")";
    return reply(
        Response.Status.BAD_REQUEST,
        new ApiError(
            "malformed_json",
            "the request body is not the JSON this call takes: "
                + path
                + e.getOriginalMessage()
                + where,
            List.of()));
  }

  /**
   * A JSON value of the wrong type or shape: mapped by name, as Quarkus's Jackson extension maps
   * this subtype itself (with a body outside the contract) and the most specific mapper wins.
   */
  @ServerExceptionMapper
  public Response mismatchedJson(MismatchedInputException e) {
    return malformedJson(e);
  }

  /** A body in a media type the call does not read: this API takes JSON. */
  @ServerExceptionMapper
  public Response unsupportedMediaType(NotSupportedException e, HttpHeaders headers) {
    MediaType sent = headers.getMediaType();
    return reply(
        Response.Status.UNSUPPORTED_MEDIA_TYPE,
        new ApiError(
            "unsupported_media_type",
            "this call takes application/json (got "
                + (sent == null ? "no Content-Type" : sent.toString())
                + ")",
            List.of()));
  }

  /**
   * What JAX-RS refuses before a resource runs (unsupported media type, method not allowed, not
   * acceptable, ...), as JSON with its status, instead of an empty body.
   */
  @ServerExceptionMapper
  public Response refused(WebApplicationException e) {
    if (e.getCause() instanceof JsonProcessingException json) {
      return malformedJson(json); // the JSON reader wraps what Jackson could not read
    }
    Response.StatusType status = e.getResponse().getStatusInfo();
    String error = status.getReasonPhrase().toLowerCase(Locale.ROOT).replaceAll("[^a-z0-9]+", "_");
    String message = e.getMessage() == null ? status.getReasonPhrase() : e.getMessage();
    return Response.status(status.getStatusCode())
        .type(MediaType.APPLICATION_JSON)
        .entity(new ApiError(error, message, List.of()))
        .build();
  }

  /**
   * Anything else is the orchestrator's fault: HTTP 500 with the JSON contract and an incident id
   * to find the stack trace in the log, which the client never sees.
   */
  @ServerExceptionMapper
  public Response unexpected(Exception e) {
    String incident = java.util.UUID.randomUUID().toString().substring(0, 8);
    LOG.errorf(e, "incident %s: request failed", incident);
    return reply(
        Response.Status.INTERNAL_SERVER_ERROR,
        new ApiError(
            "internal_error",
            "the orchestrator failed on this request (incident "
                + incident
                + "; its log has the details)",
            List.of()));
  }

  private static Response reply(Response.Status status, ApiError error) {
    return Response.status(status).type(MediaType.APPLICATION_JSON).entity(error).build();
  }
}
