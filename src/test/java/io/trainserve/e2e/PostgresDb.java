package io.trainserve.e2e;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.Locale;
import java.util.UUID;

/**
 * A fresh PostgreSQL database for one test, on the server at {@code TEST_PG_URL} (default
 * {@code jdbc:postgresql://127.0.0.1:5432/postgres}, user {@code TEST_PG_USER}/postgres); dropped when the
 * JVM exits. A missing server fails the test: CI must have one.
 */
final class PostgresDb {
    private static final String URL = env("TEST_PG_URL", "jdbc:postgresql://127.0.0.1:5432/postgres");
    final String url;
    final String user = env("TEST_PG_USER", "postgres");
    final String password = env("TEST_PG_PASSWORD", "");

    private PostgresDb(String url) {
        this.url = url;
    }

    static PostgresDb fresh() {
        String name = "trainserve_e2e_" + UUID.randomUUID().toString().replace("-", "").substring(0, 12).toLowerCase(Locale.ROOT);
        PostgresDb admin = new PostgresDb(URL);
        admin.execute("create database " + name);
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            try {
                admin.execute("drop database if exists " + name + " with (force)");
            } catch (RuntimeException ignored) {
                // best effort
            }
        }));
        return new PostgresDb(URL.replaceFirst("/[^/?]*(\\?|$)", "/" + name + "$1"));
    }

    void execute(String sql) {
        try (Connection c = DriverManager.getConnection(url, user, password); Statement s = c.createStatement()) {
            s.execute(sql);
        } catch (SQLException e) {
            throw new IllegalStateException("PostgreSQL at " + url + " (set TEST_PG_URL): " + sql + ": " + e.getMessage(), e);
        }
    }

    private static String env(String name, String fallback) {
        String v = System.getenv(name);
        return v == null || v.isBlank() ? fallback : v;
    }
}
