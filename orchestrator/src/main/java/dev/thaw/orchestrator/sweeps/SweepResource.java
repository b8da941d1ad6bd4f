package dev.thaw.orchestrator.sweeps;

import dev.thaw.api.Leaderboard;
import dev.thaw.api.SweepDetail;
import dev.thaw.api.SweepSummary;
import dev.thaw.orchestrator.schedules.ScheduleService;
import dev.thaw.orchestrator.schedules.ScheduleViewer;
import dev.thaw.orchestrator.store.SweepRecord;
import dev.thaw.orchestrator.store.SweepRepository;
import dev.thaw.orchestrator.store.TrialRecord;
import dev.thaw.orchestrator.store.TrialRepository;
import dev.thaw.protocol.ApiError;
import io.quarkus.narayana.jta.QuarkusTransaction;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.DefaultValue;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.NotFoundException;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import java.net.URI;
import java.util.List;
import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.media.Content;
import org.eclipse.microprofile.openapi.annotations.media.Schema;
import org.eclipse.microprofile.openapi.annotations.responses.APIResponse;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;

/** Sweeps: submit a sweep file, list, detail, leaderboard, cancel. */
@Path("/api/v1/sweeps")
@Produces(MediaType.APPLICATION_JSON)
@Tag(name = "sweeps", description = "Submit and follow sweeps")
public class SweepResource {
  private final SweepService service;
  private final SweepRepository sweeps;
  private final TrialRepository trials;
  private final ScheduleService scheduleService;
  private final ScheduleViewer scheduleViewer;
  private final SweepProgress progress;

  SweepResource(
      SweepService service,
      SweepRepository sweeps,
      TrialRepository trials,
      ScheduleService scheduleService,
      ScheduleViewer scheduleViewer,
      SweepProgress progress) {
    this.progress = progress;
    this.service = service;
    this.sweeps = sweeps;
    this.trials = trials;
    this.scheduleService = scheduleService;
    this.scheduleViewer = scheduleViewer;
  }

  @POST
  @Consumes({"application/yaml", "application/x-yaml", "text/yaml", MediaType.TEXT_PLAIN})
  @Operation(
      summary = "Submit a sweep file",
      description =
          "Validates the YAML sweep file, stores the sweep and queues its first trials. An"
              + " invalid file is answered 400 with every error and nothing is stored. A file with"
              + " a schedule is registered as a schedule instead (as POST /api/v1/schedules):"
              + " 201 with the schedule, Location /api/v1/schedules/{id}.")
  @APIResponse(
      responseCode = "201",
      description = "The new sweep",
      content = @Content(schema = @Schema(implementation = SweepSummary.class)))
  @APIResponse(
      responseCode = "400",
      description = "The file is invalid; details lists every error",
      content = @Content(schema = @Schema(implementation = ApiError.class)))
  public Response submit(
      String yaml, @QueryParam("origin") @DefaultValue("request") String origin) {
    String text = yaml == null ? "" : yaml;
    if (ScheduleService.isScheduled(text)) {
      return scheduleViewer.created(scheduleService.register(text, origin));
    }
    SweepRecord created = service.submit(text, origin);
    return Response.created(URI.create("/api/v1/sweeps/" + created.id()))
        .entity(summaryOf(created.id()))
        .build();
  }

  @GET
  @Operation(summary = "List sweeps, newest first")
  public List<SweepSummary> list() {
    return QuarkusTransaction.requiringNew()
        .call(
            () ->
                sweeps.all().stream()
                    .map(s -> SweepViews.summary(s, trials.ofSweep(s.id())))
                    .toList());
  }

  @GET
  @Path("/{id}")
  @Operation(summary = "A sweep with every trial and its state")
  @APIResponse(responseCode = "404", description = "No such sweep")
  public SweepDetail detail(@PathParam("id") String id) {
    return QuarkusTransaction.requiringNew()
        .call(() -> SweepViews.detail(find(id), trials.ofSweep(id)));
  }

  @GET
  @Path("/{id}/leaderboard")
  @Operation(summary = "Trials ranked by the objective, best first")
  public Leaderboard leaderboard(
      @PathParam("id") String id, @QueryParam("limit") @DefaultValue("10") String limitText) {
    int limit = positive("limit", limitText);
    return QuarkusTransaction.requiringNew()
        .call(() -> SweepViews.leaderboard(find(id), trials.ofSweep(id), limit));
  }

  @POST
  @Path("/{id}/cancel")
  @Operation(
      summary = "Cancel a sweep",
      description =
          "Queued trials are cancelled; running trials are told to stop on their next heartbeat."
              + " Cancelling an ended sweep changes nothing.")
  public SweepSummary cancel(@PathParam("id") String id) {
    QuarkusTransaction.requiringNew().run(() -> find(id));
    service.cancel(id);
    return summaryOf(id);
  }

  @GET
  @Path("/{id}/curves")
  @Operation(
      summary = "Learning curves of a sweep's trials",
      description =
          "The epochs of each trial's current attempt, for the latest `limit` trials by number"
              + " (at most 500).")
  @APIResponse(responseCode = "404", description = "No such sweep")
  public List<SweepProgress.TrialCurves> curves(
      @PathParam("id") String id, @QueryParam("limit") @DefaultValue("200") String limitText) {
    int limit = positive("limit", limitText);
    if (limit > SweepProgress.MAX_CURVES) {
      throw new IllegalArgumentException(
          "limit: must be at most " + SweepProgress.MAX_CURVES + " (got " + limit + ")");
    }
    return QuarkusTransaction.requiringNew()
        .call(
            () -> {
              find(id);
              return progress.curves(id, limit);
            });
  }

  @GET
  @Path("/{id}/trials/{number}/mlflow")
  @Operation(
      summary = "Where a trial's MLflow run is",
      description =
          "Looks the run of the trial's latest attempt up on the sweep's MLflow server; 404 when"
              + " the sweep is not tracked or the run is not there yet.")
  @APIResponse(responseCode = "404", description = "No such sweep, trial or run")
  @APIResponse(responseCode = "502", description = "The MLflow server did not answer")
  public SweepProgress.MlflowRunLink mlflowRun(
      @PathParam("id") String id, @PathParam("number") String numberText) {
    int number;
    try {
      number = Integer.parseInt(numberText.strip());
    } catch (NumberFormatException e) {
      throw new IllegalArgumentException(
          "number: must be a trial number, a whole number (got '" + numberText + "')");
    }
    SweepRecord sweep = QuarkusTransaction.requiringNew().call(() -> find(id));
    TrialRecord trial =
        QuarkusTransaction.requiringNew()
            .call(() -> trials.ofSweep(id, number))
            .orElseThrow(() -> new NotFoundException("sweep " + id + " has no trial #" + number));
    try {
      return progress
          .mlflowRun(sweep, service.spec(sweep), trial)
          .orElseThrow(
              () ->
                  new NotFoundException(
                      "trial #" + number + " has no MLflow run (not tracked, or not there yet)"));
    } catch (java.io.IOException e) {
      throw new jakarta.ws.rs.WebApplicationException(
          "the MLflow server did not answer: " + e.getMessage(),
          Response.Status.BAD_GATEWAY.getStatusCode());
    }
  }

  private SweepSummary summaryOf(String id) {
    return QuarkusTransaction.requiringNew()
        .call(() -> SweepViews.summary(find(id), trials.ofSweep(id)));
  }

  private SweepRecord find(String id) {
    return sweeps.find(id).orElseThrow(() -> new NotFoundException("no sweep with id " + id));
  }

  /**
   * A query parameter that must be a whole number >= 1, read from its text: JAX-RS answers a query
   * parameter it cannot convert with a bare 404.
   */
  private static int positive(String name, String text) {
    try {
      int value = Integer.parseInt(text.strip());
      if (value >= 1) {
        return value;
      }
    } catch (NumberFormatException e) {
      // refused below
    }
    throw new IllegalArgumentException(name + ": must be a whole number >= 1 (got '" + text + "')");
  }
}
