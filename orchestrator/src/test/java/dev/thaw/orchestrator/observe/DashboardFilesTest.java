package dev.thaw.orchestrator.observe;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLMapper;
import dev.thaw.orchestrator.SystemTool;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * What Grafana and the compose stack need of the files in {@code dashboards/} beyond their queries
 * (which {@link PrometheusScrapeTest} runs): every panel and target names the provisioned data
 * source, panel ids are unique in a dashboard, dashboard uids are unique, and the Prometheus
 * configuration scrapes the orchestrator's {@code /q/metrics} as compose names it.
 */
class DashboardFilesTest {
  private final Path dir = SystemTool.repositoryRoot().resolve("dashboards");

  @Test
  void everyPanelNamesTheProvisionedDataSource() throws Exception {
    JsonNode sources =
        new YAMLMapper()
            .readTree(dir.resolve("grafana/provisioning/datasources/prometheus.yml").toFile());
    String uid = sources.path("datasources").get(0).path("uid").asText();
    assertEquals("prometheus", sources.path("datasources").get(0).path("type").asText());
    Set<String> dashboardUids = new HashSet<>();
    List<Path> files;
    try (Stream<Path> list = Files.list(dir.resolve("grafana/dashboards"))) {
      files = list.filter(p -> p.toString().endsWith(".json")).sorted().toList();
    }
    assertEquals(3, files.size(), files.toString());
    for (Path f : files) {
      JsonNode dash = new ObjectMapper().readTree(f.toFile());
      assertTrue(dashboardUids.add(dash.path("uid").asText()), f + ": uid not unique");
      assertFalse(dash.path("title").asText().isBlank(), f + ": no title");
      Set<Integer> ids = new HashSet<>();
      for (JsonNode panel : dash.path("panels")) {
        String where = f.getFileName() + ": panel '" + panel.path("title").asText() + "'";
        assertTrue(ids.add(panel.path("id").asInt()), where + ": id not unique");
        assertEquals(uid, panel.path("datasource").path("uid").asText(), where);
        assertTrue(panel.path("gridPos").has("w"), where + ": no gridPos");
        assertFalse(panel.path("targets").isEmpty(), where + ": no query");
        for (JsonNode target : panel.path("targets")) {
          assertEquals(uid, target.path("datasource").path("uid").asText(), where);
        }
      }
      for (JsonNode variable : dash.path("templating").path("list")) {
        assertEquals(uid, variable.path("datasource").path("uid").asText(), f.toString());
      }
    }
  }

  @Test
  void prometheusScrapesTheOrchestratorAsComposeNamesIt() throws Exception {
    JsonNode config = new YAMLMapper().readTree(dir.resolve("prometheus/prometheus.yml").toFile());
    JsonNode job = config.path("scrape_configs").get(0);
    assertEquals("thaw-orchestrator", job.path("job_name").asText(), "the alerts' up{job=...}");
    assertEquals("/q/metrics", job.path("metrics_path").asText());
    assertEquals(
        "orchestrator:8080", job.path("static_configs").get(0).path("targets").get(0).asText());
    assertEquals("alerts.yml", config.path("rule_files").get(0).asText());
    JsonNode providers =
        new YAMLMapper().readTree(dir.resolve("grafana/provisioning/dashboards/thaw.yml").toFile());
    assertEquals(
        "/var/lib/grafana/dashboards",
        providers.path("providers").get(0).path("options").path("path").asText(),
        "where dashboards/README.md says compose mounts the dashboards");
  }
}
