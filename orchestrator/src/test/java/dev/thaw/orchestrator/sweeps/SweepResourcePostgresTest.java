package dev.thaw.orchestrator.sweeps;

import dev.thaw.orchestrator.PostgresStore;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.TestProfile;
import org.junit.jupiter.api.condition.EnabledIfEnvironmentVariable;

/** Every sweep API test again, on PostgreSQL. */
@QuarkusTest
@TestProfile(PostgresStore.class)
@EnabledIfEnvironmentVariable(named = "THAW_TEST_PG_URL", matches = ".+")
class SweepResourcePostgresTest extends SweepResourceTest {}
