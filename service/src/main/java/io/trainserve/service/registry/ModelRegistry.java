package io.trainserve.service.registry;

import io.trainserve.engine.Model;
import io.trainserve.service.system.DataDir;
import io.trainserve.service.system.NotFoundException;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.security.DigestOutputStream;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Clock;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.springframework.stereotype.Component;
import org.springframework.transaction.annotation.Transactional;
import tools.jackson.databind.json.JsonMapper;

/**
 * The versioned models: every successful job (or restored bundle) becomes version N+1 of its model
 * id. The bundle file is written and checksummed before the version row commits, so a version that
 * exists always has its file; numbers are allocated under a row lock, so concurrent jobs on one model
 * id (even on several instances sharing PostgreSQL) never get the same version.
 */
@Component
public class ModelRegistry {
    private static final int CACHED_MODELS = 16;
    private final ModelRepository models;
    private final ModelVersionRepository versions;
    private final DataDir dataDir;
    private final JsonMapper json;
    private final Clock clock;
    private final RegistryChanges changes;
    private final ModelAliases aliases;
    private final Map<ModelVersionEntity.Key, Model> loaded = new LinkedHashMap<>(16, 0.75f, true) {
        @Override
        protected boolean removeEldestEntry(Map.Entry<ModelVersionEntity.Key, Model> eldest) {
            return size() > CACHED_MODELS;
        }
    };

    ModelRegistry(ModelRepository models, ModelVersionRepository versions, DataDir dataDir, JsonMapper json, Clock clock,
                  RegistryChanges changes, ModelAliases aliases) {
        this.changes = changes;
        this.aliases = aliases;
        this.models = models;
        this.versions = versions;
        this.dataDir = dataDir;
        this.json = json;
        this.clock = clock;
    }

    public boolean hasVersion(String modelId, int version) {
        return versions.existsById(new ModelVersionEntity.Key(modelId, version));
    }

    /** Stores {@code model} as the next version of {@code modelId}; returns the version number. */
    @Transactional
    public int register(String modelId, Model model, String jobId) {
        ModelEntity entity = models.lockById(modelId).orElseGet(() -> {
            models.saveAndFlush(new ModelEntity(modelId, clock.instant()));
            return models.lockById(modelId).orElseThrow(); // the new row, now locked like an existing one
        });
        int version = entity.nextVersion();
        Path file = dataDir.bundles().resolve(modelId).resolve("v" + version + ".zip");
        Written written = writeBundle(model, file);
        versions.save(new ModelVersionEntity(modelId, version, jobId, clock.instant(), json.writeValueAsString(model.metrics()),
                model.testMetrics() == null ? null : json.writeValueAsString(model.testMetrics()),
                json.writeValueAsString(model.summary()), dataDir.root().relativize(file).toString(), written.sha256, written.size));
        models.save(entity);
        changes.bump();
        return version;
    }

    /**
     * A version's model, loaded once and kept (a few of them) for predict. The one place a bundle is read
     * for serving; {@link ServingCatalog} calls it with versions it knows exist, so a hit costs no database trip.
     */
    public Model load(String modelId, int version) {
        ModelVersionEntity.Key key = new ModelVersionEntity.Key(modelId, version);
        synchronized (loaded) {
            Model m = loaded.get(key);
            if (m != null) return m;
        }
        ModelVersionEntity v = versions.findById(key).orElseThrow(() -> new NotFoundException("model version", modelId + " v" + version));
        Model m;
        try (InputStream in = Files.newInputStream(dataDir.root().resolve(v.bundlePath()))) {
            m = Model.load(in);
        } catch (IOException e) {
            throw new UncheckedIOException("bundle of " + modelId + " v" + version + " is unreadable", e);
        }
        synchronized (loaded) {
            loaded.put(key, m);
        }
        return m;
    }

    /** The newest existing version of a model (numbers are never reused after a delete), or empty. */
    public Optional<Integer> latest(String modelId) {
        List<ModelVersionEntity> all = versions.findByModelIdOrderByVersionAsc(modelId);
        return all.isEmpty() ? Optional.empty() : Optional.of(all.get(all.size() - 1).version());
    }

    public List<String> modelIds() {
        return models.findAllByOrderByIdAsc().stream().map(ModelEntity::id).toList();
    }

    /** Versions of a model, oldest first (empty when the model does not exist). */
    public List<VersionInfo> versions(String modelId) {
        return versions.findByModelIdOrderByVersionAsc(modelId).stream().map(this::info).toList();
    }

    public Optional<VersionInfo> version(String modelId, int version) {
        return versions.findById(new ModelVersionEntity.Key(modelId, version)).map(this::info);
    }

    public Path bundleFile(String modelId, int version) {
        ModelVersionEntity v = versions.findById(new ModelVersionEntity.Key(modelId, version))
                .orElseThrow(() -> new NotFoundException("model version", modelId + " v" + version));
        return dataDir.root().resolve(v.bundlePath());
    }

    /** Deletes one version (and its file); the model goes when its last version goes. */
    @Transactional
    public void delete(String modelId, int version) {
        ModelEntity model = models.lockById(modelId).orElseThrow(() -> new NotFoundException("model", modelId));
        ModelVersionEntity v = versions.findById(new ModelVersionEntity.Key(modelId, version))
                .orElseThrow(() -> new NotFoundException("model version", modelId + " v" + version));
        aliases.checkUnaliased(modelId, version);
        versions.delete(v);
        versions.flush();
        synchronized (loaded) {
            loaded.remove(new ModelVersionEntity.Key(modelId, version));
        }
        List<ModelVersionEntity> rest = versions.findByModelIdOrderByVersionAsc(modelId);
        if (rest.isEmpty()) {
            models.delete(model);
        }
        changes.bump();
        try {
            Files.deleteIfExists(dataDir.root().resolve(v.bundlePath()));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** What the HTTP layer shows of a version without loading its bundle. */
    public record VersionInfo(String modelId, int version, String jobId, java.time.Instant createdAt, String metricsJson,
                              String testMetricsJson, String summaryJson, String bundleSha256, long bundleSizeBytes) {
    }

    private VersionInfo info(ModelVersionEntity v) {
        return new VersionInfo(v.modelId(), v.version(), v.jobId(), v.createdAt(), v.metricsJson(), v.testMetricsJson(), v.summaryJson(),
                v.bundleSha256(), v.bundleSizeBytes());
    }

    private record Written(String sha256, long size) {
    }

    /** Written to a temporary file and moved into place, so no reader ever sees half a bundle. */
    private Written writeBundle(Model model, Path file) {
        try {
            Files.createDirectories(file.getParent());
            Path tmp = Files.createTempFile(dataDir.tmp(), "bundle", ".zip");
            MessageDigest sha = MessageDigest.getInstance("SHA-256");
            try (OutputStream out = new DigestOutputStream(Files.newOutputStream(tmp), sha)) {
                model.save(out);
            }
            long size = Files.size(tmp);
            Files.move(tmp, file, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
            return new Written(HexFormat.of().formatHex(sha.digest()), size);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write bundle " + file, e);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
