package dev.thaw.orchestrator.schedules;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.thaw.orchestrator.schedules.QuartzStores.Db;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.time.Duration;
import java.time.ZoneId;
import java.time.ZonedDateTime;
import java.util.Date;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.quartz.CronTrigger;
import org.quartz.Scheduler;

/**
 * The schedules' Quartz job store on its own: the orchestrator's migrations and triggers on a real
 * database with plain Quartz schedulers configured as the orchestrator configures Quartz. A restart
 * keeps a schedule and runs a missed firing once; two clustered instances on one database fire each
 * firing once (H2 always; PostgreSQL when THAW_TEST_PG_URL is set).
 */
class QuartzJobStoreTest {
  private static final String NIGHTLY = "0 0 2 * * ?";
  private static final String BERLIN = "Europe/Berlin";

  @Test
  void aRestartKeepsTheScheduleAndRunsThreeMissedNightsOnce() throws Exception {
    Path dir = Path.of("target", "quartz-restart-" + UUID.randomUUID());
    Db db = Db.h2("jdbc:h2:file:" + dir.toAbsolutePath().resolve("thaw"));
    QuartzStores.migrate(db, null);
    String id = UUID.randomUUID().toString();

    Scheduler before = QuartzStores.scheduler(db, "before-restart");
    before.start();
    before.addJob(ScheduleTriggers.job(id, "nightly", CountingJob.class), false);
    before.scheduleJob(ScheduleTriggers.cron(id, NIGHTLY, BERLIN));
    before.shutdown(true);

    // Down for three nights: the stored next firing is 02:00 Berlin three nights ago.
    ZonedDateTime threeNightsAgo =
        ZonedDateTime.now(ZoneId.of(BERLIN))
            .minusDays(3)
            .withHour(2)
            .withMinute(0)
            .withSecond(0)
            .withNano(0);
    try (Connection c = db.connect();
        PreparedStatement s =
            c.prepareStatement(
                "UPDATE QRTZ_TRIGGERS SET NEXT_FIRE_TIME = ? WHERE TRIGGER_NAME = ?")) {
      s.setLong(1, threeNightsAgo.toInstant().toEpochMilli());
      s.setString(2, id);
      assertEquals(1, s.executeUpdate(), "the trigger survived the shutdown");
    }

    Scheduler after = QuartzStores.scheduler(db, "after-restart");
    after.start();
    try {
      waitFor(() -> !CountingJob.runs(id).isEmpty(), Duration.ofSeconds(10));
      Thread.sleep(2_000); // room for any further catch-up firings, which must not come
      assertEquals(1, CountingJob.runs(id).size(), "one firing for three missed nights");
      CronTrigger trigger = (CronTrigger) after.getTrigger(ScheduleTriggers.cronKey(id));
      assertNotNull(trigger, "the schedule is still there after the restart");
      assertEquals(NIGHTLY, trigger.getCronExpression());
      assertEquals(BERLIN, trigger.getTimeZone().getID());
      Date next = trigger.getNextFireTime();
      assertEquals(trigger.getFireTimeAfter(new Date()), next, "then back on its cron");
      assertTrue(next.after(new Date()));
    } finally {
      after.shutdown(true);
    }
  }

  @Test
  void twoClusteredInstancesOnH2FireEachFiringOnce() throws Exception {
    Db db = Db.h2("jdbc:h2:mem:quartz-cluster-" + UUID.randomUUID() + ";DB_CLOSE_DELAY=-1");
    QuartzStores.migrate(db, null);
    firesOnceAcrossTwoInstances(db);
  }

  @Test
  void twoClusteredInstancesOnPostgresFireEachFiringOnce() throws Exception {
    String url = System.getenv("THAW_TEST_PG_URL");
    Assumptions.assumeTrue(url != null && !url.isBlank(), "THAW_TEST_PG_URL is not set");
    String schema = "quartz_cluster_test";
    Db db =
        Db.postgres(
            url + (url.contains("?") ? "&" : "?") + "currentSchema=" + schema,
            System.getenv().getOrDefault("THAW_TEST_PG_USER", "thaw"),
            System.getenv().getOrDefault("THAW_TEST_PG_PASSWORD", ""));
    QuartzStores.migrate(db, schema);
    firesOnceAcrossTwoInstances(db);
  }

  private static void firesOnceAcrossTwoInstances(Db db) throws Exception {
    String id = UUID.randomUUID().toString();
    Scheduler a = QuartzStores.scheduler(db, "node-a");
    Scheduler b = QuartzStores.scheduler(db, "node-b");
    a.start();
    b.start();
    try {
      a.addJob(ScheduleTriggers.job(id, "every-second", CountingJob.class), false);
      a.scheduleJob(ScheduleTriggers.cron(id, "* * * * * ?", "UTC"));
      waitFor(() -> CountingJob.runs(id).size() >= 6, Duration.ofSeconds(20));
      assertEquals(2, schedulerRows(db), "both instances checked in to the cluster");
    } finally {
      a.shutdown(true);
      b.shutdown(true);
    }
    Map<Long, List<String>> runs = CountingJob.runs(id);
    assertTrue(runs.size() >= 6, "fired every second: " + runs.keySet());
    runs.forEach(
        (time, instances) ->
            assertEquals(1, instances.size(), "firing at " + time + " ran on " + instances));
  }

  private static int schedulerRows(Db db) throws Exception {
    try (Connection c = db.connect();
        PreparedStatement s = c.prepareStatement("SELECT count(*) FROM QRTZ_SCHEDULER_STATE");
        ResultSet rs = s.executeQuery()) {
      rs.next();
      return rs.getInt(1);
    }
  }

  private static void waitFor(java.util.function.BooleanSupplier done, Duration limit)
      throws InterruptedException {
    long end = System.nanoTime() + limit.toNanos();
    while (!done.getAsBoolean()) {
      if (System.nanoTime() > end) {
        throw new AssertionError("not done within " + limit);
      }
      Thread.sleep(100);
    }
  }
}
