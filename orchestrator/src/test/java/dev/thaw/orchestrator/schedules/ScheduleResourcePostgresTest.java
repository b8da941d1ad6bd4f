package dev.thaw.orchestrator.schedules;

import dev.thaw.orchestrator.PostgresStore;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.TestProfile;
import org.junit.jupiter.api.condition.EnabledIfEnvironmentVariable;

/** Every schedule API test again, with the store and Quartz's job store on PostgreSQL. */
@QuarkusTest
@TestProfile(PostgresStore.class)
@EnabledIfEnvironmentVariable(named = "THAW_TEST_PG_URL", matches = ".+")
class ScheduleResourcePostgresTest extends ScheduleResourceTest {}
