package dev.thaw.orchestrator.tracking;

import io.quarkus.test.junit.QuarkusTestProfile;
import java.util.HashMap;
import java.util.Map;

/**
 * Test profile: sweeps are tracked in the real MLflow server of {@code ./thaw test}
 * (THAW_TEST_MLFLOW_URI), with a spool of this test JVM. Quarkus builds profiles while discovering
 * tests, also when the server is absent: nothing here may fail then.
 */
public class MlflowServer implements QuarkusTestProfile {
  static final String URI_ENV = "THAW_TEST_MLFLOW_URI";

  @Override
  public Map<String, String> getConfigOverrides() {
    Map<String, String> config = new HashMap<>();
    String uri = System.getenv(URI_ENV);
    if (uri != null && !uri.isBlank()) {
      config.put("thaw.mlflow.tracking-uri", uri);
    }
    config.put(
        "thaw.mlflow.spool-dir",
        System.getProperty("java.io.tmpdir") + "/thaw-test-spool-" + ProcessHandle.current().pid());
    return config;
  }
}
