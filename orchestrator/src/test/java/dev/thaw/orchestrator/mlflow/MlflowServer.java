package dev.thaw.orchestrator.mlflow;

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

  /**
   * The port of the server a test starts and stops itself (sweeps name it in their file, so it is
   * on thaw.mlflow.allowed-uris): free when first asked for, then the same in every class loader of
   * this JVM (Quarkus loads profiles in more than one), as it is kept in a system property.
   */
  static synchronized int ownServerPort() {
    String key = "thaw.test.own-mlflow-port";
    String known = System.getProperty(key);
    if (known == null) {
      try (java.net.ServerSocket s = new java.net.ServerSocket(0)) {
        known = Integer.toString(s.getLocalPort());
      } catch (java.io.IOException e) {
        throw new java.io.UncheckedIOException(e);
      }
      System.setProperty(key, known);
    }
    return Integer.parseInt(known);
  }

  @Override
  public Map<String, String> getConfigOverrides() {
    Map<String, String> config = new HashMap<>();
    String uri = System.getenv(URI_ENV);
    if (uri != null && !uri.isBlank()) {
      config.put("thaw.mlflow.tracking-uri", uri);
    }
    config.put("thaw.mlflow.allowed-uris", "http://127.0.0.1:" + ownServerPort());
    config.put(
        "thaw.mlflow.spool-dir",
        System.getProperty("java.io.tmpdir") + "/thaw-test-spool-" + ProcessHandle.current().pid());
    return config;
  }
}
