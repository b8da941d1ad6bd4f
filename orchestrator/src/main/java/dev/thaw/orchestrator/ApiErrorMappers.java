package dev.thaw.orchestrator;

import dev.thaw.orchestrator.leases.LeaseLostException;
import dev.thaw.sweep.InvalidSweepException;
import dev.thaw.worker.protocol.ApiError;
import jakarta.ws.rs.NotFoundException;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import java.util.List;
import org.jboss.resteasy.reactive.server.ServerExceptionMapper;

/** Turns the orchestrator's exceptions into 4xx replies with an {@link ApiError} body. */
public class ApiErrorMappers {

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

  @ServerExceptionMapper
  public Response notFound(NotFoundException e) {
    return reply(Response.Status.NOT_FOUND, new ApiError("not_found", e.getMessage(), List.of()));
  }

  @ServerExceptionMapper
  public Response badRequest(IllegalArgumentException e) {
    return reply(
        Response.Status.BAD_REQUEST, new ApiError("bad_request", e.getMessage(), List.of()));
  }

  private static Response reply(Response.Status status, ApiError error) {
    return Response.status(status).type(MediaType.APPLICATION_JSON).entity(error).build();
  }
}
