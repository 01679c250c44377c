package io.trainserve.service.registry;

import org.springframework.stereotype.Component;

/** The versioned models as other features see them. (Bundles and endpoints: issue 4, registry part.) */
@Component
public class ModelRegistry {
    private final ModelVersionRepository versions;

    ModelRegistry(ModelVersionRepository versions) {
        this.versions = versions;
    }

    public boolean hasVersion(String modelId, int version) {
        return versions.existsById(new ModelVersionEntity.Key(modelId, version));
    }
}
