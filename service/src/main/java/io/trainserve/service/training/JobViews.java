package io.trainserve.service.training;

import io.trainserve.service.doctor.Diagnosis;
import java.util.List;
import java.util.Map;
import org.springframework.stereotype.Component;
import tools.jackson.core.type.TypeReference;
import tools.jackson.databind.json.JsonMapper;

/** Turns stored jobs and epochs into their JSON views. */
@Component
class JobViews {
    private final JsonMapper json;

    JobViews(JsonMapper json) {
        this.json = json;
    }

    JobView of(Job j) {
        return of(j, json.readValue(j.specJson(), JobSpec.class));
    }

    /** @param spec the job's spec when the caller holds it (a job just submitted), saving a parse of its JSON */
    JobView of(Job j, JobSpec spec) {
        Map<String, Double> metrics = j.metricsJson() == null ? Map.of() : json.readValue(j.metricsJson(), new TypeReference<>() {});
        Map<String, Object> test = j.testMetricsJson() == null ? null : json.readValue(j.testMetricsJson(), new TypeReference<>() {});
        JobView.Error error = j.errorCode() == null ? null : new JobView.Error(j.errorCode(), j.errorMessage());
        return new JobView(j.id(), j.modelId(), j.datasetId(), j.status(), j.createdAt(), j.startedAt(), j.finishedAt(),
                j.epoch(), j.epochs(), j.step(), j.stepsPerEpoch(), j.progress() == null ? 0.0 : j.progress(), j.etaSeconds(),
                j.learningRate(), metrics, j.stoppedEarly(), j.bestEpoch(), error, j.modelVersion(), test,
                j.cancelRequested(), j.attempts(), j.worker(), spec,
                j.diagnosesJson() == null ? List.of() : json.readValue(j.diagnosesJson(), new TypeReference<List<Diagnosis>>() {}),
                j.sweepId(),
                j.anomalyJson() == null ? null : json.readValue(j.anomalyJson(), JobView.Anomaly.class));
    }

    JobView.EpochView of(JobEpoch e) {
        Map<String, Double> metrics = json.readValue(e.metricsJson(), new TypeReference<>() {});
        return new JobView.EpochView(e.epoch(), metrics, e.learningRate(), e.durationMillis(), e.samplesPerSecond(), e.createdAt());
    }
}
