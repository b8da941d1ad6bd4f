package dev.thaw.orchestrator.sweeps;

import dev.thaw.inputs.AllowedRoots;
import dev.thaw.inputs.InputPolicy;
import io.quarkus.runtime.StartupEvent;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import java.util.List;
import java.util.Optional;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.jboss.logging.Logger;

/**
 * What submitted sweeps may name ({@code thaw.data.roots}, {@code thaw.models.roots}, {@code
 * thaw.models.allow-remote}): checked at submit and by the embedded worker at trial start. Unset
 * roots get the defaults workers use too ({@link InputPolicy#defaultDataRoots()}, {@link
 * InputPolicy#defaultModelRoots()}), so one set of environment variables ({@code THAW_DATA_ROOTS},
 * {@code THAW_MODELS_ROOTS}, {@code THAW_MODELS_ALLOW_REMOTE}) configures both on a host.
 */
@ApplicationScoped
public class InputSettings {
  private static final Logger LOG = Logger.getLogger(InputSettings.class);

  private final InputPolicy policy;

  InputSettings(
      @ConfigProperty(name = "thaw.data.roots") Optional<List<String>> dataRoots,
      @ConfigProperty(name = "thaw.models.roots") Optional<List<String>> modelRoots,
      @ConfigProperty(name = "thaw.models.allow-remote", defaultValue = "false")
          boolean allowRemote) {
    this.policy =
        InputPolicy.confined(
            dataRoots.map(AllowedRoots::parse).orElseGet(InputPolicy::defaultDataRoots),
            modelRoots.map(AllowedRoots::parse).orElseGet(InputPolicy::defaultModelRoots),
            allowRemote);
  }

  /** The policy of submitted sweeps and of the embedded worker. */
  public InputPolicy policy() {
    return policy;
  }

  void log(@Observes StartupEvent event) {
    LOG.infof("submitted sweeps may name: %s", policy);
  }
}
