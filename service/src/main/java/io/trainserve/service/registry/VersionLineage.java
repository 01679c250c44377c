package io.trainserve.service.registry;

import java.util.Optional;

/**
 * Where a version came from beyond what its bundle knows: the model version its job started from
 * (fine-tuning or continued training). Implemented by the training feature; the registry only asks.
 */
public interface VersionLineage {
    Optional<BaseModel> baseModelOf(String jobId);

    /** @param freezeLayers the first layers that kept the base model's weights */
    record BaseModel(String modelId, int version, int freezeLayers) {
    }
}
