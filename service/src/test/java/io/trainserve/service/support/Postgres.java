package io.trainserve.service.support;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.Locale;
import java.util.UUID;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.testcontainers.DockerClientFactory;
import org.testcontainers.postgresql.PostgreSQLContainer;

/**
 * A real PostgreSQL for tests: a Testcontainers one when a Docker engine is available, else the
 * server at {@code TEST_PG_URL} (default {@code jdbc:postgresql://127.0.0.1:5432/postgres}, user
 * {@code TEST_PG_USER}/postgres). Each test class gets a fresh database {@code trainserve_test_<random>},
 * dropped when the JVM exits. When neither exists the tests using it fail (they never skip): CI must have a database.
 */
public final class Postgres {
    private static final String URL = env("TEST_PG_URL", "jdbc:postgresql://127.0.0.1:5432/postgres");
    private static final String USER = env("TEST_PG_USER", "postgres");
    private static final String PASSWORD = env("TEST_PG_PASSWORD", "");
    private static PostgreSQLContainer container;

    private Postgres() {
    }

    public static boolean available() {
        return docker() || localServer();
    }

    /** Points the datasource (and db-scheduler's lock-and-fetch polling) at a fresh database. */
    public static void register(DynamicPropertyRegistry registry) {
        String[] db = freshDatabase();
        registry.add("spring.datasource.url", () -> db[0]);
        registry.add("spring.datasource.username", () -> db[1]);
        registry.add("spring.datasource.password", () -> db[2]);
    }

    /** url, user, password of a new empty database. */
    public static synchronized String[] freshDatabase() {
        if (!available()) {
            throw new IllegalStateException("PostgreSQL tests need a database: no Docker engine and no server at " + URL
                    + " (set TEST_PG_URL / TEST_PG_USER / TEST_PG_PASSWORD)");
        }
        if (docker()) {
            if (container == null) {
                container = new PostgreSQLContainer("postgres:16-alpine");
                container.start();
            }
            return create(container.getJdbcUrl(), container.getUsername(), container.getPassword());
        }
        return create(URL, USER, PASSWORD);
    }

    private static String[] create(String adminUrl, String user, String password) {
        String name = "trainserve_test_" + UUID.randomUUID().toString().replace("-", "").substring(0, 12).toLowerCase(Locale.ROOT);
        execute(adminUrl, user, password, "create database " + name);
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            try {
                execute(adminUrl, user, password, "drop database if exists " + name + " with (force)");
            } catch (RuntimeException ignored) {
                // best effort
            }
        }));
        String url = adminUrl.replaceFirst("/[^/?]*(\\?|$)", "/" + name + "$1");
        return new String[]{url, user, password};
    }

    private static void execute(String url, String user, String password, String sql) {
        try (Connection c = DriverManager.getConnection(url, user, password); Statement s = c.createStatement()) {
            s.execute(sql);
        } catch (SQLException e) {
            throw new IllegalStateException(sql + ": " + e.getMessage(), e);
        }
    }

    private static boolean docker() {
        try {
            return DockerClientFactory.instance().isDockerAvailable();
        } catch (Throwable e) {
            return false;
        }
    }

    private static boolean localServer() {
        try (Connection c = DriverManager.getConnection(URL, USER, PASSWORD)) {
            return c.isValid(2);
        } catch (SQLException e) {
            return false;
        }
    }

    private static String env(String name, String fallback) {
        String v = System.getenv(name);
        return v == null || v.isBlank() ? fallback : v;
    }
}
