package dev.thaw.orchestrator.schedules;

import dev.thaw.sweep.InvalidSweepException;
import io.quarkus.runtime.StartupEvent;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;
import org.jboss.logging.Logger;

/**
 * At start-up: makes sure every stored schedule has its Quartz job, then registers the scheduled
 * sweep files of {@code thaw.schedules.folder} (idempotent, so every replica may do it). A file
 * that is invalid is logged with every error and skipped; the others are registered.
 */
@ApplicationScoped
public class ScheduleFolder {
  private static final Logger LOG = Logger.getLogger(ScheduleFolder.class);

  private final ScheduleService service;
  private final ScheduleSettings settings;

  ScheduleFolder(ScheduleService service, ScheduleSettings settings) {
    this.service = service;
    this.settings = settings;
  }

  void onStart(@Observes StartupEvent event) {
    service.all().forEach(service::ensureScheduled);
    settings.folder().map(Path::of).ifPresent(this::registerAll);
  }

  /** Registers every scheduled sweep file directly in {@code folder}; returns how many. */
  public int registerAll(Path folder) {
    if (!Files.isDirectory(folder)) {
      LOG.warnf(
          "thaw.schedules.folder %s is not a folder; no schedules registered from it", folder);
      return 0;
    }
    List<Path> files;
    try (Stream<Path> list = Files.list(folder)) {
      files =
          list.filter(p -> p.toString().endsWith(".yaml") || p.toString().endsWith(".yml"))
              .sorted()
              .toList();
    } catch (IOException e) {
      LOG.errorf("cannot list thaw.schedules.folder %s: %s", folder, e.getMessage());
      return 0;
    }
    int registered = 0;
    for (Path file : files) {
      try {
        String yaml = Files.readString(file, StandardCharsets.UTF_8);
        if (ScheduleService.isScheduled(yaml)) {
          service.register(yaml, file.toString());
          registered++;
        }
      } catch (InvalidSweepException e) {
        LOG.errorf("schedule not registered: %s", e.getMessage());
      } catch (IOException e) {
        LOG.errorf("schedule not registered: cannot read %s: %s", file, e.getMessage());
      }
    }
    LOG.infof("%d scheduled sweep files registered from %s", registered, folder);
    return registered;
  }
}
