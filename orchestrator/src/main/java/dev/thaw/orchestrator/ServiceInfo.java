package dev.thaw.orchestrator;

import com.fasterxml.jackson.annotation.JsonProperty;
import org.eclipse.microprofile.openapi.annotations.media.Schema;

/**
 * What the orchestrator tells a client about itself: which service it is, which build, and which
 * REST API version it speaks.
 *
 * @param name the application name ({@code quarkus.application.name})
 * @param version the build version ({@code quarkus.application.version}, the Maven project version)
 * @param apiVersion the REST API version, the path segment after {@code /api/}
 */
@Schema(name = "ServiceInfo", description = "Identity and version of the orchestrator.")
public record ServiceInfo(
    @Schema(examples = "thaw-orchestrator") String name,
    @Schema(examples = "0.1.0-SNAPSHOT") String version,
    @JsonProperty("api_version") @Schema(examples = "v1") String apiVersion) {}
