package dev.thaw.orchestrator.leases;

import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.thaw.orchestrator.PostgresStore;
import dev.thaw.orchestrator.store.Database;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.TestProfile;
import jakarta.inject.Inject;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.EnabledIfEnvironmentVariable;

/** Every worker API test again, on PostgreSQL. */
@QuarkusTest
@TestProfile(PostgresStore.class)
@EnabledIfEnvironmentVariable(named = "THAW_TEST_PG_URL", matches = ".+")
class LeaseResourcePostgresTest extends LeaseResourceTest {
  @Inject Database db;

  @Test
  void theStoreIsPostgres() {
    assertTrue(db.product().startsWith("PostgreSQL"), db.product());
  }
}
