package io.trainserve.service.security;

import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.Arrays;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Repository;
import org.springframework.transaction.annotation.Transactional;

/** The api_keys and key_revision tables. */
@Repository
class ApiKeyStore {
    private static final String COLUMNS = "id, name, role, models, created_at, created_by, expires_at, last_used_at, revoked_at";
    private final JdbcClient jdbc;

    ApiKeyStore(JdbcClient jdbc) {
        this.jdbc = jdbc;
    }

    void insert(ApiKey key, String hash) {
        jdbc.sql("insert into api_keys (" + COLUMNS + ", key_hash) values (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)")
                .params(key.id(), key.name(), key.role().id(), key.models().isEmpty() ? null : String.join(",", key.models()),
                        time(key.createdAt()), key.createdBy(), time(key.expiresAt()), null, null, hash)
                .update();
    }

    Optional<ApiKey> findByHash(String hash) {
        return jdbc.sql("select " + COLUMNS + " from api_keys where key_hash = ?").param(hash).query(ApiKeyStore::row).optional();
    }

    Optional<ApiKey> findById(String id) {
        return jdbc.sql("select " + COLUMNS + " from api_keys where id = ?").param(id).query(ApiKeyStore::row).optional();
    }

    /** Keys not revoked, oldest first. */
    List<ApiKey> active() {
        return jdbc.sql("select " + COLUMNS + " from api_keys where revoked_at is null order by created_at, id").query(ApiKeyStore::row).list();
    }

    /** Keys ever made (revoked ones too) of every role but this one. */
    long countExcept(Role role) {
        return jdbc.sql("select count(*) from api_keys where role <> ?").param(role.id()).query(Long.class).single();
    }

    /** Marks the key revoked and moves the revision every instance polls; returns the new revision. */
    @Transactional
    long revoke(String id, Instant at) {
        jdbc.sql("update api_keys set revoked_at = ? where id = ? and revoked_at is null").params(time(at), id).update();
        jdbc.sql("update key_revision set revision = revision + 1 where id = 1").update();
        return revision();
    }

    long revision() {
        return jdbc.sql("select revision from key_revision where id = 1").query(Long.class).single();
    }

    /** One batch: each key's last use, never moved backwards. */
    void touch(Map<String, Instant> lastUsed) {
        lastUsed.forEach((id, at) -> jdbc.sql("update api_keys set last_used_at = ? where id = ? and (last_used_at is null or last_used_at < ?)")
                .params(time(at), id, time(at)).update());
    }

    private static ApiKey row(ResultSet rs, int n) throws SQLException {
        String models = rs.getString("models");
        Set<String> scope = models == null ? Set.of() : new LinkedHashSet<>(Arrays.asList(models.split(",")));
        return new ApiKey(rs.getString("id"), rs.getString("name"), Role.valueOf(rs.getString("role").toUpperCase(java.util.Locale.ROOT)),
                scope, instant(rs, "created_at"), rs.getString("created_by"), instant(rs, "expires_at"),
                instant(rs, "last_used_at"), instant(rs, "revoked_at"));
    }

    static OffsetDateTime time(Instant i) {
        return i == null ? null : i.atOffset(ZoneOffset.UTC);
    }

    static Instant instant(ResultSet rs, String column) throws SQLException {
        OffsetDateTime t = rs.getObject(column, OffsetDateTime.class);
        return t == null ? null : t.toInstant();
    }
}
