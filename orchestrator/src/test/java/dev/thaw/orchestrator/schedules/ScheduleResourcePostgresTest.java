package dev.thaw.orchestrator.schedules;

import static dev.thaw.orchestrator.TestSweeps.scheduled;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.thaw.orchestrator.PostgresStore;
import dev.thaw.orchestrator.store.Database;
import io.quarkus.narayana.jta.QuarkusTransaction;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.TestProfile;
import jakarta.inject.Inject;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.EnabledIfEnvironmentVariable;

/** Every schedule API test again, with the store and Quartz's job store on PostgreSQL. */
@QuarkusTest
@TestProfile(PostgresStore.class)
@EnabledIfEnvironmentVariable(named = "THAW_TEST_PG_URL", matches = ".+")
class ScheduleResourcePostgresTest extends ScheduleResourceTest {
  @Inject Database db;

  @Test
  void theStoreAndQuartzJobStoreAreOnPostgres() {
    assertTrue(db.product().startsWith("PostgreSQL"), db.product());
    register(scheduled("on-postgres", "cron: \"0 0 2 * * ?\"")).statusCode(201);
    long triggers =
        QuarkusTransaction.requiringNew()
            .call(() -> db.count("SELECT count(*) FROM qrtz_cron_triggers"));
    assertTrue(triggers > 0, "the schedule's cron trigger is a row in PostgreSQL");
  }
}
