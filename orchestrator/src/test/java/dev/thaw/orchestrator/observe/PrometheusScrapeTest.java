package dev.thaw.orchestrator.observe;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import dev.thaw.orchestrator.SystemTool;
import dev.thaw.orchestrator.TestSweeps;
import dev.thaw.orchestrator.TestTokens;
import dev.thaw.orchestrator.store.SweepRecord;
import dev.thaw.orchestrator.store.SweepRepository;
import dev.thaw.orchestrator.sweeps.SweepService;
import dev.thaw.train.Devices;
import dev.thaw.worker.TrialOutcome;
import dev.thaw.worker.WorkerAgent;
import dev.thaw.worker.WorkerSummary;
import io.quarkus.test.common.http.TestHTTPResource;
import io.quarkus.test.junit.QuarkusTest;
import jakarta.inject.Inject;
import java.net.URL;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A real Prometheus (the Debian package) scrapes the real orchestrator while a worker runs a small
 * real sweep; then every PromQL expression of the Grafana dashboards must return data from that
 * Prometheus (no dead panel), the alert rules must be loaded and healthy, and the figures must be
 * the sweep's. The alert rules are also checked and unit-tested with promtool.
 */
@QuarkusTest
class PrometheusScrapeTest {
  private static final String WORKER = "prom-test-worker";
  private static final Pattern METRIC = Pattern.compile("\\b(thaw_[a-z_]+|up)\\b");

  @TestHTTPResource("/")
  URL orchestrator;

  @Inject SweepService sweeps;
  @Inject SweepRepository sweepRepo;

  @Test
  void prometheusScrapesASweepAndEveryDashboardQueryHasData(@TempDir Path dir) throws Exception {
    Path binary = SystemTool.require("prometheus", "prometheus");
    Path root = SystemTool.repositoryRoot();
    Path alerts = root.resolve("dashboards/prometheus/alerts.yml");
    Path dashboards = root.resolve("dashboards/grafana/dashboards");
    TestSweeps.cancelAll(sweepRepo, sweeps);
    String target = orchestrator.getHost() + ":" + orchestrator.getPort();
    try (PrometheusServer prom = PrometheusServer.start(binary, dir, target, List.of(alerts))) {
      await(prom, "up{job=\"thaw-orchestrator\"} == 1", "the first scrape");
      double grantedBefore = value(prom, "thaw_leases_granted_total");

      SweepRecord s = sweeps.submit(fourTrials("prom-sweep"), "prom.yaml");
      WorkerSummary summary =
          WorkerAgent.builder()
              .setSource(TestTokens.workerSource(orchestrator))
              .optDevice(Devices.parse("cpu"))
              .optWorkerId(WORKER)
              .optRunsDir(dir.resolve("runs"))
              .optMaxTrials(4)
              .optIdleExit(Duration.ofSeconds(30))
              .build()
              .run();
      assertEquals(4, summary.outcomes().get(TrialOutcome.COMPLETED), summary.toString());
      await(
          prom,
          "thaw_sweep_trials{sweep_id=\"" + s.id() + "\", state=\"completed\"} == 4",
          "the sweep's 4 completed trials");

      // The figures are the sweep's.
      assertEquals(4.0, value(prom, "thaw_leases_granted_total") - grantedBefore, "leases");
      assertEquals(
          0.0, value(prom, "thaw_sweep_trials{sweep_id=\"" + s.id() + "\", state=\"queued\"}"));
      assertEquals("prom-sweep", label(prom, "thaw_sweep_best_objective", s.id(), "sweep"));
      double epochSeconds = value(prom, "thaw_worker_epoch_seconds{worker=\"" + WORKER + "\"}");
      assertTrue(epochSeconds > 0 && epochSeconds < 600, "epoch seconds " + epochSeconds);
      assertTrue(
          value(prom, "thaw_worker_samples_per_second{worker=\"" + WORKER + "\"}") > 0,
          "samples per second");
      assertTrue(
          value(prom, "thaw_lease_round_trip_seconds_count{call=\"heartbeat\"}") >= 8,
          "at least one heartbeat per epoch is timed");

      // No dead panel: every expression returns data.
      List<String> dead = new ArrayList<>();
      List<DashboardQueries.Query> queries =
          Stream.concat(
                  DashboardQueries.panels(dashboards).stream(),
                  DashboardQueries.variables(dashboards).stream())
              .toList();
      assertTrue(queries.size() >= 25, "dashboards read: " + queries);
      for (DashboardQueries.Query q : queries) {
        try {
          if (prom.query(q.promql()).isEmpty()) {
            dead.add(q.where() + ": no data for " + q.promql());
          }
        } catch (IllegalStateException e) {
          dead.add(q.where() + ": refused: " + e.getMessage());
        }
      }
      assertEquals(
          List.of(),
          dead,
          "dashboard queries without data; the orchestrator's series: "
              + prom.get("api/v1/label/__name__/values").path("data"));

      // The alert rules: loaded by this Prometheus and healthy; each expression is accepted and
      // every series it names exists (an alert's condition itself holds only when it fires: that
      // is what `promtool test rules` checks below).
      List<DashboardQueries.Query> rules = DashboardQueries.rules(alerts);
      Set<String> loaded = new TreeSet<>();
      for (JsonNode group : prom.get("api/v1/rules").path("data").path("groups")) {
        for (JsonNode rule : group.path("rules")) {
          assertEquals("ok", rule.path("health").asText(), rule.toString());
          loaded.add(rule.path("name").asText());
        }
      }
      assertEquals(
          Set.of(
              "ThawNoWorkers",
              "ThawLeaseExpiriesClimbing",
              "ThawNightlyRegression",
              "ThawOrchestratorDown"),
          loaded);
      for (DashboardQueries.Query rule : rules) {
        prom.query(rule.promql());
        Matcher m = METRIC.matcher(rule.promql());
        while (m.find()) {
          if (prom.query(m.group(1)).isEmpty()) {
            dead.add(rule.where() + ": no series " + m.group(1));
          }
        }
      }
      assertEquals(List.of(), dead, "alert rules naming series that do not exist");
    }
  }

  @Test
  void promtoolChecksAndUnitTestsTheAlertRules() throws Exception {
    Path promtool = SystemTool.require("prometheus", "promtool");
    Path dir = SystemTool.repositoryRoot().resolve("dashboards/prometheus");
    run(dir, promtool.toString(), "check", "rules", "alerts.yml");
    run(dir, promtool.toString(), "check", "config", "prometheus.yml");
    run(dir, promtool.toString(), "test", "rules", "alerts-test.yml");
  }

  private static void run(Path dir, String... command) throws Exception {
    Process p =
        new ProcessBuilder(command).directory(dir.toFile()).redirectErrorStream(true).start();
    String out = new String(p.getInputStream().readAllBytes());
    assertEquals(0, p.waitFor(), String.join(" ", command) + ":\n" + out);
  }

  /** A grid of 4 real trials of 2 epochs on 80 MNIST images. */
  static String fourTrials(String name) {
    return TestSweeps.tiny(name)
        .replace("freeze_depth: {values: [0, 2]}", "freeze_depth: {values: [0, 1, 2, 3]}");
  }

  private static void await(PrometheusServer prom, String promql, String what)
      throws InterruptedException {
    long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
    while (System.nanoTime() < deadline) {
      if (!prom.query(promql).isEmpty()) {
        return;
      }
      Thread.sleep(250);
    }
    throw new AssertionError(
        "Prometheus did not see " + what + " in 60 s (" + promql + "); log:\n" + prom.log());
  }

  /** The one value of an instant query. */
  private static double value(PrometheusServer prom, String promql) {
    JsonNode result = prom.query("sum(" + promql + ")");
    assertEquals(1, result.size(), promql + ": " + result);
    return Double.parseDouble(result.get(0).path("value").get(1).asText());
  }

  private static String label(PrometheusServer prom, String metric, String sweepId, String name) {
    JsonNode result = prom.query(metric + "{sweep_id=\"" + sweepId + "\"}");
    assertEquals(1, result.size(), metric + ": " + result);
    return result.get(0).path("metric").path(name).asText();
  }
}
