package io.trainserve.service.registry;

import io.trainserve.engine.Model;
import io.trainserve.service.storage.BlobCache;
import io.trainserve.service.storage.BlobInfo;
import io.trainserve.service.storage.BlobStore;
import io.trainserve.service.storage.CorruptBlobException;
import io.trainserve.service.system.ConflictException;
import io.trainserve.service.system.NotFoundException;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.time.Clock;
import java.util.List;
import java.util.Optional;
import org.springframework.stereotype.Component;
import org.springframework.transaction.annotation.Transactional;
import tools.jackson.databind.json.JsonMapper;

/**
 * The versioned models: every successful job (or restored bundle) becomes version N+1 of its model
 * id. The bundle blob ({@code bundles/<id>/v<N>.zip} in the {@link BlobStore}) is written and checksummed
 * before the version row commits, so a version that exists always has its bundle; a bundle whose bytes
 * no longer match its checksum is a 409, never a wrong model; numbers are allocated under a row lock, so concurrent jobs on one model
 * id (even on several instances sharing PostgreSQL) never get the same version.
 */
@Component
public class ModelRegistry {
    private final ModelRepository models;
    private final ModelVersionRepository versions;
    private final BlobStore blobs;
    private final BlobCache cache;
    private final JsonMapper json;
    private final Clock clock;
    private final RegistryChanges changes;
    private final ModelAliases aliases;
    private final LoadedModels loaded;

    ModelRegistry(ModelRepository models, ModelVersionRepository versions, BlobStore blobs, BlobCache cache, JsonMapper json,
                  Clock clock, RegistryChanges changes, ModelAliases aliases, LoadedModels loaded) {
        this.loaded = loaded;
        this.changes = changes;
        this.aliases = aliases;
        this.models = models;
        this.versions = versions;
        this.blobs = blobs;
        this.cache = cache;
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
        BlobInfo written = blobs.write("bundles/" + modelId + "/v" + version + ".zip", model::save);
        versions.save(new ModelVersionEntity(modelId, version, jobId, clock.instant(), json.writeValueAsString(model.metrics()),
                model.testMetrics() == null ? null : json.writeValueAsString(model.testMetrics()),
                json.writeValueAsString(model.summary()), written.key(), written.sha256(), written.size()));
        models.save(entity);
        changes.bump();
        return version;
    }

    /**
     * A version's model, loaded once and kept (a few of them) for predict. The one place a bundle is read
     * for serving; {@link ServingCatalog} calls it with versions it knows exist, so a hit costs no database trip.
     */
    public Model load(String modelId, int version) {
        Model hit = loaded.get(modelId, version);
        if (hit != null) return hit;
        ModelVersionEntity v = versions.findById(new ModelVersionEntity.Key(modelId, version)).orElseThrow(() -> new NotFoundException("model version", modelId + " v" + version));
        Model m;
        try (InputStream in = cache.open(v.bundleKey())) {
            m = Model.load(in);
        } catch (CorruptBlobException e) {
            throw corrupt(modelId, version, e);
        } catch (IOException e) {
            throw new UncheckedIOException("bundle of " + modelId + " v" + version + " is unreadable", e);
        }
        loaded.put(modelId, version, m);
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
        try {
            return cache.local(v.bundleKey());
        } catch (CorruptBlobException e) {
            throw corrupt(modelId, version, e);
        }
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
        loaded.remove(modelId, version);
        List<ModelVersionEntity> rest = versions.findByModelIdOrderByVersionAsc(modelId);
        if (rest.isEmpty()) {
            models.delete(model);
        }
        changes.bump();
        blobs.delete(v.bundleKey());
    }

    /** What the HTTP layer shows of a version without loading its bundle. */
    public record VersionInfo(String modelId, int version, String jobId, java.time.Instant createdAt, String metricsJson,
                              String testMetricsJson, String summaryJson, String bundleSha256, long bundleSizeBytes) {
    }

    private VersionInfo info(ModelVersionEntity v) {
        return new VersionInfo(v.modelId(), v.version(), v.jobId(), v.createdAt(), v.metricsJson(), v.testMetricsJson(), v.summaryJson(),
                v.bundleSha256(), v.bundleSizeBytes());
    }

    private static ConflictException corrupt(String modelId, int version, CorruptBlobException e) {
        return new ConflictException("corrupt-bundle", "the stored bundle of model '" + modelId + "' version " + version
                + " is corrupt (its checksum does not match what was written); restore the version from a downloaded bundle "
                + "or train it again");
    }
}
