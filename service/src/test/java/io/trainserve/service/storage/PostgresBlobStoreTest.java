package io.trainserve.service.storage;

import io.trainserve.service.support.Postgres;
import java.nio.file.Path;
import java.util.List;
import org.flywaydb.core.Flyway;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.jdbc.datasource.DataSourceTransactionManager;
import org.springframework.jdbc.datasource.DriverManagerDataSource;

/**
 * The PostgreSQL adapter against the blob store contract, on a fresh database migrated by the service's
 * own Flyway scripts; small chunks (64 KiB) so even the small blobs span several rows.
 */
class PostgresBlobStoreTest extends BlobStoreContract {
    private static String[] db;
    private JdbcTemplate jdbc;

    @Override
    BlobStore newStore(Path tmp) {
        synchronized (PostgresBlobStoreTest.class) {
            if (db == null) {
                db = Postgres.freshDatabase();
                Flyway.configure().dataSource(db[0], db[1], db[2])
                        .locations("classpath:db/migration/common", "classpath:db/migration/postgresql").load().migrate();
            }
        }
        DriverManagerDataSource ds = new DriverManagerDataSource(db[0], db[1], db[2]);
        jdbc = new JdbcTemplate(ds);
        jdbc.update("delete from blob_chunks");
        jdbc.update("delete from blobs");
        return new PostgresBlobStore(jdbc, new DataSourceTransactionManager(ds), 64 * 1024);
    }

    @Override
    void damage(String key) {
        jdbc.update("update blob_chunks set data = overlay(data placing '\\x00'::bytea from 5 for 1) "
                + "where blob_id = (select blob_id from blobs where blob_key = ?) and seq = 0", key);
        jdbc.update("update blob_chunks set data = overlay(data placing '\\x01'::bytea from 6 for 1) "
                + "where blob_id = (select blob_id from blobs where blob_key = ?) and seq = 0", key);
    }

    @Override
    List<String> forkedStoreArgs() {
        return List.of("pg", db[0], db[1], db[2]);
    }
}
