package dev.thaw.orchestrator;

import io.quarkus.test.junit.QuarkusTestProfile;
import java.util.Map;

/**
 * Runs a test class against the real PostgreSQL server that {@code ./thaw test} starts ({@code
 * scripts/test-postgres}: THAW_TEST_PG_URL, THAW_TEST_PG_USER, THAW_TEST_PG_PASSWORD), with H2
 * switched off. Flyway cleans the database first, so every run starts empty. Classes that use it
 * are enabled only when THAW_TEST_PG_URL is set; under CI ./thaw test refuses to run without a
 * server, so there they always run.
 */
public class PostgresStore implements QuarkusTestProfile {
  @Override
  public Map<String, String> getConfigOverrides() {
    return Map.of(
        "quarkus.datasource.h2.active", "false",
        "quarkus.datasource.postgresql.active", "true",
        "quarkus.datasource.postgresql.jdbc.url", env("THAW_TEST_PG_URL"),
        "quarkus.datasource.postgresql.username", env("THAW_TEST_PG_USER"),
        "quarkus.datasource.postgresql.password", env("THAW_TEST_PG_PASSWORD"),
        "quarkus.flyway.postgresql.clean-at-start", "true",
        "quarkus.flyway.postgresql.clean-disabled", "false",
        "quarkus.quartz.deferred-datasource-name", "postgresql");
  }

  /** Quarkus reads profiles while it discovers tests, before JUnit skips a disabled class. */
  private static String env(String name) {
    return System.getenv().getOrDefault(name, "");
  }
}
