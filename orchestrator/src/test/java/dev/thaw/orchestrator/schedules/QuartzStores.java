package dev.thaw.orchestrator.schedules;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.util.Properties;
import java.util.UUID;
import org.flywaydb.core.Flyway;
import org.quartz.Scheduler;
import org.quartz.SchedulerException;
import org.quartz.impl.SchedulerRepository;
import org.quartz.impl.StdSchedulerFactory;
import org.quartz.utils.ConnectionProvider;
import org.quartz.utils.DBConnectionManager;

/**
 * Plain Quartz schedulers on a database migrated by the orchestrator's own Flyway scripts, with the
 * job-store settings the orchestrator's Quarkus configuration gives Quartz (JDBC job store TX,
 * clustered, Quarkus's driver delegate, properties-only job data), so that tests can stop, restart
 * and run several of them side by side.
 */
final class QuartzStores {
  private QuartzStores() {}

  /**
   * A database.
   *
   * @param url JDBC URL
   * @param user user
   * @param password password
   * @param quartzFolder {@code h2} or {@code postgresql}
   * @param delegate the driver delegate Quarkus picks for it
   */
  record Db(String url, String user, String password, String quartzFolder, String delegate) {
    static Db h2(String url) {
      return new Db(url, "thaw", "", "h2", "io.quarkus.quartz.runtime.jdbc.QuarkusHSQLDBDelegate");
    }

    static Db postgres(String url, String user, String password) {
      return new Db(
          url,
          user,
          password,
          "postgresql",
          "io.quarkus.quartz.runtime.jdbc.QuarkusPostgreSQLDelegate");
    }

    Connection connect() throws SQLException {
      return DriverManager.getConnection(url, user, password);
    }
  }

  /** Creates the schema from scratch: every orchestrator migration, Quartz's tables included. */
  static void migrate(Db db, String schema) {
    var config =
        Flyway.configure()
            .dataSource(db.url(), db.user(), db.password())
            .locations("classpath:db/migration", "classpath:db/quartz/" + db.quartzFolder())
            .cleanDisabled(false);
    if (schema != null) {
      config = config.schemas(schema);
    }
    Flyway flyway = config.load();
    flyway.clean();
    flyway.migrate();
  }

  /** A started-or-not scheduler instance {@code instanceId} of the clustered scheduler. */
  static Scheduler scheduler(Db db, String instanceId) throws SchedulerException {
    String dataSource = "thaw-" + UUID.randomUUID();
    DBConnectionManager.getInstance()
        .addConnectionProvider(
            dataSource,
            new ConnectionProvider() {
              @Override
              public Connection getConnection() throws SQLException {
                return db.connect();
              }

              @Override
              public void shutdown() {}

              @Override
              public void initialize() {}
            });
    Properties p = new Properties();
    p.put("org.quartz.scheduler.instanceName", "thaw-test");
    p.put("org.quartz.scheduler.instanceId", instanceId);
    p.put("org.quartz.scheduler.skipUpdateCheck", "true");
    p.put("org.quartz.threadPool.threadCount", "2");
    p.put("org.quartz.jobStore.class", "org.quartz.impl.jdbcjobstore.JobStoreTX");
    p.put("org.quartz.jobStore.driverDelegateClass", db.delegate());
    p.put("org.quartz.jobStore.dataSource", dataSource);
    p.put("org.quartz.jobStore.useProperties", "true");
    p.put("org.quartz.jobStore.tablePrefix", "QRTZ_");
    p.put("org.quartz.jobStore.acquireTriggersWithinLock", "true");
    p.put("org.quartz.jobStore.isClustered", "true");
    p.put("org.quartz.jobStore.clusterCheckinInterval", "1000");
    p.put("org.quartz.jobStore.misfireThreshold", "1000");
    Scheduler scheduler = new StdSchedulerFactory(p).getScheduler();
    // The factory hands out one scheduler per name and JVM; cluster nodes share the name, so
    // forget this one there (it keeps running) and the next call builds a second node.
    SchedulerRepository.getInstance().remove("thaw-test");
    return scheduler;
  }
}
