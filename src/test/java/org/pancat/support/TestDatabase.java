package org.pancat.support;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;

/**
 * The PostgreSQL server of deploy/with-postgresql.sh, as its PANCAT_TEST_DB_* variables name it,
 * for tests that give packaged nodes databases of their own.
 */
public final class TestDatabase {
  /** Plans each statement for its parameters (what production settings advise, README). */
  private static final String OPTIONS = "?options=-c%20plan_cache_mode%3Dforce_custom_plan";

  private TestDatabase() {}

  public static boolean onPostgresql() {
    String url = System.getenv("PANCAT_TEST_DB_URL");
    return url != null && url.startsWith("jdbc:postgresql:");
  }

  public static String user() {
    return System.getenv("PANCAT_TEST_DB_USER");
  }

  public static String password() {
    return System.getenv("PANCAT_TEST_DB_PASSWORD");
  }

  /** The JDBC URL of database {@code name} on the test server. */
  public static String url(String name) {
    String server = System.getenv("PANCAT_TEST_DB_URL");
    return server.substring(0, server.lastIndexOf('/') + 1) + name + OPTIONS;
  }

  /** A new, empty database (an old one of that name is dropped first). */
  public static void create(String name) {
    run("DROP DATABASE IF EXISTS " + name, "CREATE DATABASE " + name);
  }

  /** Replaces {@code to} with a copy of {@code from}; no one may be connected to either. */
  public static void copy(String from, String to) {
    run("DROP DATABASE IF EXISTS " + to, "CREATE DATABASE " + to + " TEMPLATE " + from);
  }

  private static void run(String... statements) {
    try (Connection c =
            DriverManager.getConnection(System.getenv("PANCAT_TEST_DB_URL"), user(), password());
        Statement statement = c.createStatement()) {
      for (String sql : statements) {
        statement.execute(sql);
      }
    } catch (SQLException e) {
      throw new IllegalStateException("test database: " + e.getMessage(), e);
    }
  }
}
