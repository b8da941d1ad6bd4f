package dev.thaw.orchestrator.schedules;

import dev.thaw.api.FiringView;
import dev.thaw.api.ScheduleView;
import dev.thaw.orchestrator.schedules.ScheduleRepository.ExecutionRef;
import io.quarkus.narayana.jta.QuarkusTransaction;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.ws.rs.core.Response;
import java.net.URI;
import java.util.Date;
import java.util.List;

/**
 * What the API shows of a stored schedule: its settings, next firing (from Quartz), executions and
 * latest firing. Shared by the schedule API and the sweep API (a scheduled sweep file submitted as
 * a sweep registers a schedule).
 */
@ApplicationScoped
public class ScheduleViewer {
  private final ScheduleService service;
  private final ScheduleRepository schedules;
  private final FiringRepository firings;

  ScheduleViewer(ScheduleService service, ScheduleRepository schedules, FiringRepository firings) {
    this.service = service;
    this.schedules = schedules;
    this.firings = firings;
  }

  /** The view of a schedule. */
  public ScheduleView view(ScheduleRecord s) {
    // Quartz reads with its own connections and transactions: never inside a JTA transaction.
    Date next = service.nextFireTime(s);
    return QuarkusTransaction.requiringNew()
        .call(
            () -> {
              List<ExecutionRef> executions = schedules.executions(s.id());
              FiringView last =
                  firings.ofSchedule(s.id(), 1).stream()
                      .findFirst()
                      .map(f -> ScheduleViews.firing(f, executions))
                      .orElse(null);
              return ScheduleViews.schedule(s, next, executions, last);
            });
  }

  /** The 201 reply for a schedule just registered, Location {@code /api/v1/schedules/{id}}. */
  public Response created(ScheduleRecord s) {
    ScheduleView view = view(s);
    return Response.created(URI.create("/api/v1/schedules/" + view.id())).entity(view).build();
  }
}
