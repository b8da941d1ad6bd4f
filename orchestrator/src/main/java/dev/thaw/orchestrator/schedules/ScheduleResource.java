package dev.thaw.orchestrator.schedules;

import dev.thaw.api.FiringView;
import dev.thaw.api.ScheduleReport;
import dev.thaw.api.ScheduleView;
import dev.thaw.orchestrator.schedules.ScheduleRepository.ExecutionRef;
import dev.thaw.protocol.ApiError;
import io.quarkus.narayana.jta.QuarkusTransaction;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.DefaultValue;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import java.util.List;
import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.media.Content;
import org.eclipse.microprofile.openapi.annotations.media.Schema;
import org.eclipse.microprofile.openapi.annotations.responses.APIResponse;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;

/** Scheduled sweeps: register, list, pause, resume, trigger now, firings, morning report. */
@Path("/api/v1/schedules")
@Produces(MediaType.APPLICATION_JSON)
@Tag(name = "schedules", description = "Sweeps that run again on a cron schedule")
public class ScheduleResource {
  private final ScheduleService service;
  private final ScheduleRepository schedules;
  private final FiringRepository firings;
  private final Firings firing;
  private final MorningReports reports;
  private final ScheduleViewer viewer;

  ScheduleResource(
      ScheduleService service,
      ScheduleRepository schedules,
      FiringRepository firings,
      Firings firing,
      MorningReports reports,
      ScheduleViewer viewer) {
    this.service = service;
    this.schedules = schedules;
    this.firings = firings;
    this.firing = firing;
    this.reports = reports;
    this.viewer = viewer;
  }

  @POST
  @Consumes({"application/yaml", "application/x-yaml", "text/yaml", MediaType.TEXT_PLAIN})
  @Operation(
      summary = "Register a scheduled sweep file",
      description =
          "Validates the sweep file, which must have a schedule, and registers it (one schedule per"
              + " sweep name: the same file again changes nothing, a changed file replaces the"
              + " schedule's settings). An invalid file, cron or time zone is answered 400 and"
              + " nothing is registered.")
  @APIResponse(
      responseCode = "201",
      description = "The schedule",
      content = @Content(schema = @Schema(implementation = ScheduleView.class)))
  @APIResponse(
      responseCode = "400",
      description = "The file is invalid; details lists every error",
      content = @Content(schema = @Schema(implementation = ApiError.class)))
  public Response register(
      String yaml, @QueryParam("origin") @DefaultValue("request") String origin) {
    return viewer.created(service.register(yaml == null ? "" : yaml, origin));
  }

  @GET
  @Operation(summary = "List schedules by name")
  public List<ScheduleView> list() {
    return service.all().stream().map(this::view).toList();
  }

  @GET
  @Path("/{id}")
  @Operation(summary = "A schedule, by id or sweep name")
  @APIResponse(responseCode = "404", description = "No such schedule")
  public ScheduleView one(@PathParam("id") String id) {
    return view(service.find(id));
  }

  @GET
  @Path("/{id}/firings")
  @Operation(summary = "A schedule's latest firings, newest first")
  public List<FiringView> firings(
      @PathParam("id") String id, @QueryParam("limit") @DefaultValue("20") int limit) {
    if (limit < 1) {
      throw new IllegalArgumentException("limit must be >= 1 (got " + limit + ")");
    }
    ScheduleRecord s = service.find(id);
    return QuarkusTransaction.requiringNew()
        .call(
            () -> {
              List<ExecutionRef> executions = schedules.executions(s.id());
              return firings.ofSchedule(s.id(), limit).stream()
                  .map(f -> ScheduleViews.firing(f, executions))
                  .toList();
            });
  }

  @POST
  @Path("/{id}/pause")
  @Operation(summary = "Pause a schedule: it fires no more until resumed")
  public ScheduleView pause(@PathParam("id") String id) {
    return view(service.setPaused(id, true));
  }

  @POST
  @Path("/{id}/resume")
  @Operation(
      summary = "Resume a paused schedule",
      description = "A firing missed while paused runs once now (the misfire policy).")
  public ScheduleView resume(@PathParam("id") String id) {
    return view(service.setPaused(id, false));
  }

  @POST
  @Path("/{id}/trigger")
  @Operation(
      summary = "Fire a schedule now",
      description =
          "Starts a new execution now, as a firing of the cron would (the overlap policy applies"
              + " while the previous execution runs); paused schedules fire too.")
  public FiringView trigger(@PathParam("id") String id) {
    ScheduleRecord s = service.find(id);
    FiringRecord f = firing.fire(s.id(), null).orElseThrow();
    return QuarkusTransaction.requiringNew()
        .call(() -> ScheduleViews.firing(f, schedules.executions(s.id())));
  }

  @GET
  @Path("/{id}/report")
  @Operation(
      summary = "The morning report of an execution",
      description =
          "Best configuration and objective against the previous execution's, and a regression"
              + " flag; the latest execution unless ?execution=N.")
  @APIResponse(responseCode = "404", description = "No such schedule or execution")
  public ScheduleReport report(
      @PathParam("id") String id, @QueryParam("execution") Integer execution) {
    ScheduleRecord s = service.find(id);
    return QuarkusTransaction.requiringNew().call(() -> reports.report(s, execution));
  }

  private ScheduleView view(ScheduleRecord s) {
    return viewer.view(s);
  }
}
