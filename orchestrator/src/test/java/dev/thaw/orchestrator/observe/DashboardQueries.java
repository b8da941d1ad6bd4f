package dev.thaw.orchestrator.observe;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLMapper;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;

/**
 * Every PromQL expression of the Grafana dashboards (panel targets and template variables) and of
 * the Prometheus alert rules, with where it comes from, ready to send to Prometheus: Grafana's
 * variables are replaced as Grafana would with "All" selected ({@code $sweep} by {@code .*}) and
 * {@code $__rate_interval} by a window that holds several 1 s scrapes.
 */
final class DashboardQueries {
  /** One expression and where it is ({@code thaw-sweeps.json: panel 'Trials by state' A}). */
  record Query(String where, String promql) {}

  static final String RATE_WINDOW = "20s";

  private DashboardQueries() {}

  /** The panel targets of every dashboard under {@code dir}. */
  static List<Query> panels(Path dir) throws IOException {
    List<Query> out = new ArrayList<>();
    ObjectMapper json = new ObjectMapper();
    try (Stream<Path> files = Files.list(dir)) {
      for (Path f : files.filter(p -> p.toString().endsWith(".json")).sorted().toList()) {
        JsonNode dash = json.readTree(f.toFile());
        for (JsonNode panel : dash.path("panels")) {
          for (JsonNode target : panel.path("targets")) {
            out.add(
                new Query(
                    f.getFileName()
                        + ": panel '"
                        + panel.path("title").asText()
                        + "' "
                        + target.path("refId").asText(),
                    grafanaToPromql(target.path("expr").asText())));
          }
        }
      }
    }
    return out;
  }

  /**
   * The metric of each template variable's {@code label_values(metric, label)} query, as a PromQL
   * selector (what Grafana asks Prometheus for the variable's values).
   */
  static List<Query> variables(Path dir) throws IOException {
    List<Query> out = new ArrayList<>();
    ObjectMapper json = new ObjectMapper();
    try (Stream<Path> files = Files.list(dir)) {
      for (Path f : files.filter(p -> p.toString().endsWith(".json")).sorted().toList()) {
        for (JsonNode v : json.readTree(f.toFile()).path("templating").path("list")) {
          String q = v.path("query").path("query").asText(v.path("query").asText());
          if (!q.startsWith("label_values(")) {
            throw new IllegalArgumentException(f + ": variable query not understood: " + q);
          }
          String metric = q.substring("label_values(".length(), q.indexOf(','));
          out.add(
              new Query(
                  f.getFileName() + ": variable '" + v.path("name").asText() + "'",
                  metric.strip()));
        }
      }
    }
    return out;
  }

  /** The {@code expr} of every rule in an alert rules file. */
  static List<Query> rules(Path file) throws IOException {
    List<Query> out = new ArrayList<>();
    JsonNode doc = new YAMLMapper().readTree(file.toFile());
    for (JsonNode group : doc.path("groups")) {
      for (JsonNode rule : group.path("rules")) {
        String name =
            rule.has("alert") ? rule.path("alert").asText() : rule.path("record").asText();
        out.add(new Query(file.getFileName() + ": " + name, rule.path("expr").asText().strip()));
      }
    }
    return out;
  }

  static String grafanaToPromql(String expr) {
    return expr.replace("$__rate_interval", RATE_WINDOW)
        .replaceAll("\\$\\{?(sweep|worker)}?", ".*");
  }
}
