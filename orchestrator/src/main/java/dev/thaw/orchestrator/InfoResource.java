package dev.thaw.orchestrator;

import dev.thaw.orchestrator.auth.NoToken;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.media.Content;
import org.eclipse.microprofile.openapi.annotations.media.Schema;
import org.eclipse.microprofile.openapi.annotations.responses.APIResponse;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;

/**
 * {@code GET /api/v1/info}: which orchestrator build answers, and which API version it speaks. Open
 * without a token, like health: it tells nothing about sweeps.
 */
@Path("/api/v1/info")
@NoToken
@Produces(MediaType.APPLICATION_JSON)
@Tag(name = "info", description = "Service identity")
public class InfoResource {

  /** The REST API version served under {@code /api/v1}. */
  static final String API_VERSION = "v1";

  private final ServiceInfo info;

  InfoResource(
      @ConfigProperty(name = "quarkus.application.name") String name,
      @ConfigProperty(name = "quarkus.application.version") String version) {
    this.info = new ServiceInfo(name, version, API_VERSION);
  }

  @GET
  @Operation(
      summary = "Service identity",
      description = "Name and build version of this orchestrator and the REST API version.")
  @APIResponse(
      responseCode = "200",
      description = "The service identity",
      content =
          @Content(
              mediaType = MediaType.APPLICATION_JSON,
              schema = @Schema(implementation = ServiceInfo.class)))
  public ServiceInfo get() {
    return info;
  }
}
