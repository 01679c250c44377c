package io.trainserve.service.training;

import io.trainserve.service.registry.VersionLineage;
import java.util.Optional;
import org.springframework.stereotype.Component;
import tools.jackson.databind.json.JsonMapper;

/** A version's base model, read from the spec of the job that trained it. */
@Component
class JobLineage implements VersionLineage {
    private final JobRepository jobs;
    private final JsonMapper json;

    JobLineage(JobRepository jobs, JsonMapper json) {
        this.jobs = jobs;
        this.json = json;
    }

    @Override
    public Optional<BaseModel> baseModelOf(String jobId) {
        if (jobId == null) return Optional.empty();
        return jobs.findById(jobId).map(j -> json.readValue(j.specJson(), JobSpec.class).baseModel())
                .filter(b -> b != null && b.modelId() != null && b.version() != null)
                .map(b -> new BaseModel(b.modelId(), b.version(), b.freezeLayers() == null ? 0 : b.freezeLayers()));
    }
}
