package dev.thaw.orchestrator.store;

import io.agroal.api.AgroalDataSource;
import io.quarkus.arc.InjectableInstance;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.inject.Any;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Types;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * The store's database: whichever datasource is active ({@code h2} by default, {@code postgresql}
 * under the {@code postgresql} profile), with small helpers for plain JDBC. Calls run in the
 * caller's transaction (see {@code QuarkusTransaction}); the connection is enlisted in it.
 */
@ApplicationScoped
public class Database {
  private final AgroalDataSource dataSource;
  private volatile Boolean postgres;

  Database(@Any InjectableInstance<AgroalDataSource> dataSources) {
    this.dataSource = dataSources.getActive();
  }

  /** Reads one column of a result row. */
  @FunctionalInterface
  public interface RowMapper<T> {
    T map(ResultSet row) throws SQLException;
  }

  /** Runs an INSERT, UPDATE or DELETE and returns the number of rows it changed. */
  public int update(String sql, Object... params) {
    try (Connection c = dataSource.getConnection();
        PreparedStatement s = c.prepareStatement(sql)) {
      bind(s, params);
      return s.executeUpdate();
    } catch (SQLException e) {
      throw new StoreException(sql, e);
    }
  }

  /**
   * Runs a script's statements in order and returns their update counts, in the same order. On
   * PostgreSQL they go as one multi-statement PreparedStatement: PgJDBC splits it at the {@code ;}
   * and sends every statement's Parse/Bind/Execute followed by a single Sync, so the script costs
   * one round trip to the server instead of one per statement (its parameters are numbered across
   * the statements in order). Other stores (H2, in process: nothing to save) run them one by one.
   * Either way they run in the caller's transaction, and a failing statement fails the script.
   */
  public int[] run(Script script) {
    List<Script.Statement> statements = script.statements();
    if (statements.isEmpty()) {
      return new int[0];
    }
    if (statements.size() == 1 || !postgres()) {
      int[] counts = new int[statements.size()];
      for (int i = 0; i < counts.length; i++) {
        counts[i] = update(statements.get(i).sql(), statements.get(i).params());
      }
      return counts;
    }
    String sql = String.join(";\n", statements.stream().map(Script.Statement::sql).toList());
    Object[] params =
        statements.stream().flatMap(st -> java.util.Arrays.stream(st.params())).toArray();
    try (Connection c = dataSource.getConnection();
        PreparedStatement s = c.prepareStatement(sql)) {
      bind(s, params);
      boolean rows = s.execute();
      int[] counts = new int[statements.size()];
      for (int i = 0; i < counts.length; i++) {
        int count = s.getUpdateCount();
        if (rows || count < 0) {
          throw new StoreException(sql, new SQLException("statement " + i + " gave no count"));
        }
        counts[i] = count;
        rows = s.getMoreResults();
      }
      return counts;
    } catch (SQLException e) {
      throw new StoreException(sql, e);
    }
  }

  /** Whether the active store is PostgreSQL (asked once, on first use). */
  private boolean postgres() {
    Boolean known = postgres;
    if (known == null) {
      known = product().startsWith("PostgreSQL ");
      postgres = known;
    }
    return known;
  }

  /** Runs one INSERT or UPDATE for each parameter row, sent to the database as one batch. */
  public void batch(String sql, List<Object[]> rows) {
    if (rows.isEmpty()) {
      return;
    }
    try (Connection c = dataSource.getConnection();
        PreparedStatement s = c.prepareStatement(sql)) {
      for (Object[] row : rows) {
        bind(s, row);
        s.addBatch();
      }
      s.executeBatch();
    } catch (SQLException e) {
      throw new StoreException(sql, e);
    }
  }

  /** Runs a query and maps every row. */
  public <T> List<T> query(String sql, RowMapper<T> mapper, Object... params) {
    try (Connection c = dataSource.getConnection();
        PreparedStatement s = c.prepareStatement(sql)) {
      bind(s, params);
      try (ResultSet rs = s.executeQuery()) {
        List<T> out = new ArrayList<>();
        while (rs.next()) {
          out.add(mapper.map(rs));
        }
        return out;
      }
    } catch (SQLException e) {
      throw new StoreException(sql, e);
    }
  }

  /** The first row of a query, if any. */
  public <T> Optional<T> first(String sql, RowMapper<T> mapper, Object... params) {
    List<T> rows = query(sql, mapper, params);
    return rows.isEmpty() ? Optional.empty() : Optional.of(rows.get(0));
  }

  /** A single number (e.g. {@code count(*)}). */
  public long count(String sql, Object... params) {
    return first(sql, rs -> rs.getLong(1), params).orElse(0L);
  }

  /** The database product, for messages and the info endpoint. */
  public String product() {
    try (Connection c = dataSource.getConnection()) {
      return c.getMetaData().getDatabaseProductName()
          + " "
          + c.getMetaData().getDatabaseProductVersion();
    } catch (SQLException e) {
      throw new StoreException("database metadata", e);
    }
  }

  private static void bind(PreparedStatement s, Object[] params) throws SQLException {
    for (int i = 0; i < params.length; i++) {
      Object p = params[i];
      if (p instanceof Double d && d.isNaN()) {
        s.setNull(i + 1, Types.DOUBLE);
      } else if (p == null) {
        s.setNull(i + 1, Types.NULL);
      } else {
        s.setObject(i + 1, p);
      }
    }
  }

  /** A nullable DOUBLE column as a Double (null stays null). */
  public static Double doubleOrNull(ResultSet rs, String column) throws SQLException {
    double v = rs.getDouble(column);
    return rs.wasNull() ? null : v;
  }

  /** A nullable DOUBLE column, by position, as a Double (null stays null). */
  public static Double doubleOrNull(ResultSet rs, int column) throws SQLException {
    double v = rs.getDouble(column);
    return rs.wasNull() ? null : v;
  }

  /** A nullable INT column as an Integer. */
  public static Integer intOrNull(ResultSet rs, String column) throws SQLException {
    int v = rs.getInt(column);
    return rs.wasNull() ? null : v;
  }

  /** A nullable BIGINT column as a Long. */
  public static Long longOrNull(ResultSet rs, String column) throws SQLException {
    long v = rs.getLong(column);
    return rs.wasNull() ? null : v;
  }
}
