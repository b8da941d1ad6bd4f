package dev.thaw.orchestrator.auth;

import dev.thaw.auth.TokenRole;
import io.quarkus.smallrye.openapi.OpenApiFilter;
import java.util.List;
import java.util.Map;
import org.eclipse.microprofile.openapi.OASFactory;
import org.eclipse.microprofile.openapi.OASFilter;
import org.eclipse.microprofile.openapi.models.Components;
import org.eclipse.microprofile.openapi.models.OpenAPI;
import org.eclipse.microprofile.openapi.models.Operation;
import org.eclipse.microprofile.openapi.models.PathItem;
import org.eclipse.microprofile.openapi.models.security.SecurityScheme;

/**
 * Documents the bearer tokens in the OpenAPI document, so Swagger UI's "Authorize" takes them: two
 * HTTP bearer schemes, and on each operation the one {@link BearerAuthFilter} requires (the worker
 * token under {@code /api/v1/leases}, none for {@code /api/v1/info}, else the API token).
 */
@OpenApiFilter(OpenApiFilter.RunStage.BUILD)
public class OpenApiTokens implements OASFilter {
  static final Map<TokenRole, String> SCHEMES =
      Map.of(TokenRole.API, "api_token", TokenRole.WORKER, "worker_token");

  @Override
  public void filterOpenAPI(OpenAPI openApi) {
    Components components = openApi.getComponents();
    if (components == null) {
      components = OASFactory.createComponents();
      openApi.setComponents(components);
    }
    for (TokenRole role : TokenRole.values()) {
      components.addSecurityScheme(
          SCHEMES.get(role),
          OASFactory.createSecurityScheme()
              .type(SecurityScheme.Type.HTTP)
              .scheme("bearer")
              .description(
                  role.title()
                      + " for "
                      + role.scope()
                      + " ("
                      + role.envVar()
                      + "; docs/orchestrator.md, Security)"));
    }
    if (openApi.getPaths() == null || openApi.getPaths().getPathItems() == null) {
      return;
    }
    for (Map.Entry<String, PathItem> entry : openApi.getPaths().getPathItems().entrySet()) {
      String path = entry.getKey();
      if (!path.startsWith("/api/") || path.equals("/api/v1/info")) {
        continue;
      }
      TokenRole role =
          path.equals("/api/v1/leases") || path.startsWith("/api/v1/leases/")
              ? TokenRole.WORKER
              : TokenRole.API;
      for (Operation operation : entry.getValue().getOperations().values()) {
        operation.setSecurity(
            List.of(OASFactory.createSecurityRequirement().addScheme(SCHEMES.get(role))));
      }
    }
  }
}
