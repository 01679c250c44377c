package io.trainserve.service.registry;

import io.trainserve.service.system.BadRequestException;
import io.trainserve.service.system.ConflictException;
import io.trainserve.service.system.NotFoundException;
import java.sql.Timestamp;
import java.time.Clock;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.regex.Pattern;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.stereotype.Component;
import org.springframework.transaction.annotation.Transactional;

/**
 * Named pointers to versions ({@code champion}, {@code canary}): created or moved in one transaction under
 * the model's row lock (the lock that version allocation and deletes take), so a reader sees the old or the
 * new target, never none; every change bumps the registry stamp that serving instances poll.
 */
@Component
public class ModelAliases {
    static final Pattern PATTERN = Pattern.compile("[A-Za-z][A-Za-z0-9._-]{0,63}");
    static final String ALLOWED = "1-64 characters of letters, digits, '.', '_', '-', starting with a letter";
    private final ModelRepository models;
    private final ModelVersionRepository versions;
    private final JdbcTemplate jdbc;
    private final RegistryChanges changes;
    private final Clock clock;

    ModelAliases(ModelRepository models, ModelVersionRepository versions, JdbcTemplate jdbc, RegistryChanges changes, Clock clock) {
        this.models = models;
        this.versions = versions;
        this.jdbc = jdbc;
        this.changes = changes;
        this.clock = clock;
    }

    /** Points {@code alias} at {@code version}; true when the alias is new. */
    @Transactional
    public boolean put(String modelId, String alias, Integer version) {
        checkName(alias);
        if (version == null || version < 1) {
            throw new BadRequestException("version", version == null ? "nothing" : version.toString(), "an existing version number of model " + modelId);
        }
        models.lockById(modelId).orElseThrow(() -> new NotFoundException("model", modelId));
        if (!versions.existsById(new ModelVersionEntity.Key(modelId, version))) {
            throw new NotFoundException("model version", modelId + " v" + version, "version");
        }
        Timestamp now = Timestamp.from(clock.instant());
        int moved = jdbc.update("update model_aliases set version = ?, updated_at = ? where model_id = ? and alias = ?",
                version, now, modelId, alias);
        if (moved == 0) {
            jdbc.update("insert into model_aliases (model_id, alias, version, updated_at) values (?, ?, ?, ?)", modelId, alias, version, now);
        }
        changes.bump();
        return moved == 0;
    }

    @Transactional
    public void delete(String modelId, String alias) {
        models.lockById(modelId).orElseThrow(() -> new NotFoundException("model", modelId));
        if (jdbc.update("delete from model_aliases where model_id = ? and alias = ?", modelId, alias) == 0) {
            throw new NotFoundException("alias", modelId + "@" + alias, "alias");
        }
        changes.bump();
    }

    /** Alias name → version, by name. */
    public Map<String, Integer> of(String modelId) {
        Map<String, Integer> out = new LinkedHashMap<>();
        jdbc.query("select alias, version from model_aliases where model_id = ? order by alias",
                rs -> { out.put(rs.getString(1), rs.getInt(2)); }, modelId);
        return out;
    }

    /** Called by a version delete, under the model's lock: a version an alias points at cannot go. */
    void checkUnaliased(String modelId, int version) {
        var names = jdbc.queryForList("select alias from model_aliases where model_id = ? and version = ? order by alias",
                String.class, modelId, version);
        if (!names.isEmpty()) {
            throw new ConflictException("version-aliased", "version " + version + " of " + modelId + " is the target of alias(es) "
                    + names + "; move or delete them first (PUT or DELETE /models/" + modelId + "/aliases/{alias})");
        }
    }

    private static void checkName(String alias) {
        if (alias == null || !PATTERN.matcher(alias).matches()) {
            throw new BadRequestException("alias", alias == null ? "nothing" : "\"" + alias + "\"", ALLOWED);
        }
    }
}
