package dev.thaw.orchestrator.observe;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import dev.thaw.orchestrator.SystemTool;
import dev.thaw.orchestrator.TestSweeps;
import dev.thaw.orchestrator.TestTokens;
import dev.thaw.orchestrator.store.SweepRecord;
import dev.thaw.orchestrator.store.SweepRepository;
import dev.thaw.orchestrator.sweeps.SweepService;
import dev.thaw.train.Devices;
import dev.thaw.worker.WorkerAgent;
import dev.thaw.worker.WorkerSummary;
import io.quarkus.test.common.http.TestHTTPResource;
import io.quarkus.test.junit.QuarkusTest;
import jakarta.inject.Inject;
import java.net.URL;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The live sweep page in a real headless Chromium against the real orchestrator while a worker runs
 * a real sweep: the trials appear, advance to completed on the page by themselves, the charts fill,
 * and the cancel button cancels a sweep with the API token. Leaves a screenshot in {@code
 * target/live-sweep.png} (the one in docs/ was taken so).
 */
@QuarkusTest
class SweepPageBrowserTest {
  private static final int WIDTH = 1280;
  private static final int HEIGHT = 1240;
  private static final String ROWS = "#trials tbody tr";

  @TestHTTPResource("/")
  URL orchestrator;

  @Inject SweepService sweeps;
  @Inject SweepRepository sweepRepo;

  @Test
  void thePageFollowsARunningSweepAndCancelsOne(@TempDir Path dir) throws Exception {
    Path binary = SystemTool.require("chromium", HeadlessChromium.names().toArray(String[]::new));
    TestSweeps.cancelAll(sweepRepo, sweeps);
    SweepRecord s = sweeps.submit(sixTrials("page-sweep"), "page.yaml");
    try (HeadlessChromium browser =
        HeadlessChromium.start(binary, dir.resolve("profile"), WIDTH, HEIGHT)) {
      browser.navigate(orchestrator + "ui/#token=" + TestTokens.API + "&sweep=" + s.id());
      await(browser, "document.querySelectorAll('" + ROWS + "').length === 6", "6 trial rows");
      assertEquals(
          "",
          browser.eval("location.hash.includes('token') ? location.hash : ''").asText(),
          "the token is taken off the URL");
      assertEquals(6, count(browser, ROWS + "[data-state=queued]"), "all queued at first");

      // A worker runs the sweep meanwhile; the page follows by itself.
      CompletableFuture<WorkerSummary> worker =
          CompletableFuture.supplyAsync(
              () ->
                  WorkerAgent.builder()
                      .setSource(TestTokens.workerSource(orchestrator))
                      .optDevice(Devices.parse("cpu"))
                      .optWorkerId("page-test-worker")
                      .optRunsDir(dir.resolve("runs"))
                      .optMaxTrials(6)
                      .optIdleExit(Duration.ofSeconds(30))
                      .build()
                      .run());
      List<Integer> progress = new ArrayList<>();
      Path shot = null;
      boolean sawRunning = false;
      long deadline = System.nanoTime() + Duration.ofMinutes(4).toNanos();
      while (count(browser, ROWS + "[data-state=completed]") < 6) {
        assertTrue(System.nanoTime() < deadline, "trials did not all complete on the page");
        assertFalse(worker.isCompletedExceptionally(), "the worker failed");
        boolean running = count(browser, ROWS + "[data-state=running]") > 0;
        sawRunning |= running;
        int done = count(browser, ROWS + "[data-state=completed]");
        if (running && done >= 3 && shot == null) {
          shot = screenshot(browser); // the picture in the docs: a sweep half done
        }
        int epochs =
            browser
                .eval(
                    "[...document.querySelectorAll('"
                        + ROWS
                        + "')].reduce((n, r) => n + Number(r.dataset.epochs), 0)")
                .asInt();
        int step = done * 100 + epochs;
        if (progress.isEmpty() || progress.get(progress.size() - 1) != step) {
          progress.add(step);
        }
        Thread.sleep(300);
      }
      worker.join();
      assertTrue(sawRunning, "a running trial was shown");
      assertTrue(progress.size() >= 3, "the page advanced step by step: " + progress);
      for (int i = 1; i < progress.size(); i++) {
        assertTrue(progress.get(i) > progress.get(i - 1), "progress only grows: " + progress);
      }

      // The charts: a best-so-far line, one parallel-coordinates line and one learning curve per
      // trial, and the sweep listed as completed.
      await(
          browser,
          "document.querySelector('#sweeps tr[data-sweep=\""
              + s.id()
              + "\"]')?.dataset.state"
              + " === 'completed'",
          "the sweep completed in the list");
      assertEquals(1, count(browser, "#best-chart polyline.best"));
      assertEquals(6, count(browser, "#parallel-chart polyline.pc"));
      assertEquals(6, count(browser, "#curve-chart polyline.curve"));
      assertEquals(6, count(browser, ROWS + " button"), "an MLflow run button per trial that ran");
      assertEquals(
          List.of("freeze_depth", "lr_head", "val_accuracy"),
          texts(browser, "#parallel-chart > text").stream()
              .filter(t -> t.matches("[a-z_]+"))
              .toList(),
          "an axis per searched parameter, then the objective");
      assertFalse(
          browser.eval("document.querySelector('#status').className").asText().contains("error"));

      if (shot == null) {
        shot = screenshot(browser);
      }
      byte[] png = Files.readAllBytes(shot);
      assertEquals((byte) 0x89, png[0], "a PNG");
      assertTrue(png.length < 512 * 1024, "screenshot well under 1 MiB: " + png.length);
      browser.call("Emulation.clearDeviceMetricsOverride", java.util.Map.of());

      // Cancel, with the token, on a sweep nobody runs.
      SweepRecord idle = sweeps.submit(sixTrials("page-cancel"), "cancel.yaml");
      browser.navigate(orchestrator + "ui/#sweep=" + idle.id());
      await(
          browser,
          "document.querySelector('#sweep-title').textContent.includes('"
              + idle.id().substring(0, 8)
              + "') && document.querySelectorAll('"
              + ROWS
              + "[data-state=queued]').length === 6",
          "the idle sweep");
      browser.eval("window.confirm = () => true; document.querySelector('#cancel').click(); true");
      await(
          browser,
          "document.querySelectorAll('" + ROWS + "[data-state=cancelled]').length === 6",
          "its trials cancelled");
      assertEquals(0, count(browser, ROWS + " button"), "no MLflow button for trials never leased");
      assertEquals(
          "cancelled",
          browser
              .eval(
                  "document.querySelector('#sweeps tr[data-sweep=\""
                      + idle.id()
                      + "\"]').dataset.state")
              .asText());
    }
  }

  /**
   * A grid of 6 real trials (freeze_depth x lr_head) of 4 epochs on 800 MNIST images, a few seconds
   * each.
   */
  static String sixTrials(String name) {
    return TestSweeps.tiny(name)
        .replace("freeze_depth: {values: [0, 2]}", "freeze_depth: {values: [0, 1, 2]}")
        .replace("lr_head: {value: 3.0e-3}", "lr_head: {values: [1.0e-3, 1.0e-2]}")
        .replace("epochs: {value: 2}", "epochs: {value: 4}")
        .replace("labels_per_class: 8", "labels_per_class: 80");
  }

  private static Path screenshot(HeadlessChromium browser) throws Exception {
    Path shot = Path.of("target", "live-sweep.png");
    Files.write(shot, browser.screenshot(WIDTH, HEIGHT));
    return shot;
  }

  private static int count(HeadlessChromium browser, String selector) throws Exception {
    return browser.eval("document.querySelectorAll('" + selector + "').length").asInt();
  }

  private static List<String> texts(HeadlessChromium browser, String selector) throws Exception {
    JsonNode all =
        browser.eval("[...document.querySelectorAll('" + selector + "')].map(e => e.textContent)");
    List<String> out = new ArrayList<>();
    all.forEach(n -> out.add(n.asText()));
    return out;
  }

  private static void await(HeadlessChromium browser, String condition, String what)
      throws Exception {
    long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
    while (System.nanoTime() < deadline) {
      if (browser
          .eval("(() => { try { return !!(" + condition + "); } catch (e) { return false; } })()")
          .asBoolean()) {
        return;
      }
      Thread.sleep(250);
    }
    throw new AssertionError(
        "the page did not show "
            + what
            + " in 60 s; status: "
            + browser.eval("document.querySelector('#status').textContent").asText());
  }
}
