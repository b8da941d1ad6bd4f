package dev.thaw.orchestrator.leases;

import dev.thaw.auth.TokenRole;
import dev.thaw.orchestrator.auth.RequiresToken;
import dev.thaw.protocol.ApiError;
import dev.thaw.protocol.Failure;
import dev.thaw.protocol.HandBack;
import dev.thaw.protocol.Heartbeat;
import dev.thaw.protocol.HeartbeatReply;
import dev.thaw.protocol.Lease;
import dev.thaw.protocol.LeaseRequest;
import dev.thaw.trial.TrialResult;
import io.smallrye.mutiny.Uni;
import io.smallrye.mutiny.infrastructure.Infrastructure;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.DefaultValue;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import java.util.function.Supplier;
import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.media.Content;
import org.eclipse.microprofile.openapi.annotations.media.Schema;
import org.eclipse.microprofile.openapi.annotations.parameters.Parameter;
import org.eclipse.microprofile.openapi.annotations.responses.APIResponse;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;

/**
 * The worker API: workers pull trials, heartbeat, and report (see dev.thaw.protocol).
 *
 * <p>The methods return {@link Uni}s so that Quarkus REST reads and parses the small request bodies
 * on the I/O thread; the store work then runs on the worker pool ({@link #onWorkers}). Declared
 * blocking, each request would instead hand its body over from the I/O thread to a waiting worker
 * thread, which cost about a tenth of the orchestrator's CPU under many workers.
 */
@Path("/api/v1/leases")
@RequiresToken(TokenRole.WORKER)
@Produces(MediaType.APPLICATION_JSON)
@Consumes(MediaType.APPLICATION_JSON)
@Tag(name = "workers", description = "Workers lease trials, heartbeat and report results")
public class LeaseResource {
  private final LeaseService leases;

  LeaseResource(LeaseService leases) {
    this.leases = leases;
  }

  @POST
  @Operation(summary = "Lease the next trial", description = "204 when no trial is ready.")
  @APIResponse(
      responseCode = "200",
      description = "A trial to run",
      content = @Content(schema = @Schema(implementation = Lease.class)))
  @APIResponse(responseCode = "204", description = "No trial is ready; ask again later")
  public Uni<Response> lease(LeaseRequest request) {
    if (request == null) {
      throw new IllegalArgumentException("a LeaseRequest body is required");
    }
    return onWorkers(
        () -> leases.leaseForWire(request).map(Response::ok).orElse(Response.noContent()).build());
  }

  @POST
  @Path("/{lease}/heartbeat")
  @Operation(summary = "Keep the lease, send finished epochs, learn whether to go on")
  @APIResponse(
      responseCode = "409",
      description = "The lease is no longer valid; drop the trial",
      content = @Content(schema = @Schema(implementation = ApiError.class)))
  public Uni<HeartbeatReply> heartbeat(@PathParam("lease") String lease, Heartbeat beat) {
    return onWorkers(() -> leases.heartbeat(lease, beat == null ? new Heartbeat(null) : beat));
  }

  @POST
  @Path("/{lease}/complete")
  @Operation(
      summary = "Report the trial's result (exactly one result per trial)",
      description =
          "With next=true, once the result is recorded the next trial is leased to the same"
              + " worker (the completed lease's worker id, host and device), as POST"
              + " /api/v1/leases would: one round trip instead of two. Nothing is leased when"
              + " the result is refused (409). An orchestrator without this option answers 204:"
              + " the worker then leases as usual.")
  @APIResponse(
      responseCode = "200",
      description = "Recorded; with next=true, the next trial to run",
      content = @Content(schema = @Schema(implementation = Lease.class)))
  @APIResponse(
      responseCode = "204",
      description = "Recorded (with next=true: no trial is ready; ask again later)")
  @APIResponse(
      responseCode = "409",
      description = "The lease is no longer valid; result refused, nothing leased",
      content = @Content(schema = @Schema(implementation = ApiError.class)))
  public Uni<Response> complete(
      @PathParam("lease") String lease,
      @QueryParam("next")
          @DefaultValue("false")
          @Parameter(description = "Lease the next trial to the same worker and answer it")
          boolean next,
      TrialResult result) {
    if (result == null) {
      throw new IllegalArgumentException("a TrialResult body is required");
    }
    if (!next) {
      return onWorkers(
          () -> {
            leases.complete(lease, result);
            return Response.noContent().build();
          });
    }
    return onWorkers(
        () ->
            leases
                .completeAndLease(lease, result)
                .map(Response::ok)
                .orElse(Response.noContent())
                .build());
  }

  @POST
  @Path("/{lease}/fail")
  @Operation(summary = "Report that the trial failed")
  @APIResponse(responseCode = "204", description = "Recorded")
  @APIResponse(responseCode = "409", description = "The lease is no longer valid")
  public Uni<Void> fail(@PathParam("lease") String lease, Failure failure) {
    return onWorkers(
        () -> {
          leases.fail(lease, failure == null ? new Failure("no reason given", true) : failure);
          return null;
        });
  }

  @POST
  @Path("/{lease}/hand-back")
  @Operation(
      summary =
          "Give the trial back unfinished (the worker is stopping): queued again without using a"
              + " retry")
  @APIResponse(responseCode = "204", description = "Queued again")
  @APIResponse(responseCode = "409", description = "The lease is no longer valid")
  public Uni<Void> handBack(@PathParam("lease") String lease, HandBack handBack) {
    return onWorkers(
        () -> {
          leases.handBack(lease, handBack == null ? new HandBack("no reason given") : handBack);
          return null;
        });
  }

  /** Runs store work on the worker pool, off the I/O thread. */
  private static <T> Uni<T> onWorkers(Supplier<T> work) {
    return Uni.createFrom().item(work).runSubscriptionOn(Infrastructure.getDefaultWorkerPool());
  }
}
