package io.trainserve.service.sweep;

import io.trainserve.service.doctor.Diagnosis;
import io.trainserve.service.training.JobView;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import tools.jackson.databind.JsonNode;

/** The JSON body of a sweep (see api-spec: Sweep). */
record SweepView(String id, String modelId, SweepStatus status, Instant createdAt, Instant finishedAt, JsonNode job,
                 Map<String, SweepRequest.Parameter> parameters, SweepRequest.Strategy strategy, SweepRequest.Objective objective,
                 boolean versionAllTrials, List<Trial> trials, Best best, Integer modelVersion, JobView.Error error) {

    /**
     * @param status         PENDING (not queued yet), the job's status, or STOPPED (ASHA stopped it at {@code stoppedAtEpoch})
     * @param objectiveValue the objective metric at the trial's last finished epoch
     */
    record Trial(int trial, Map<String, JsonNode> parameters, String jobId, String status, Integer epoch, Double objectiveValue,
                 Integer stoppedAtEpoch, JobView.Error error, List<Diagnosis> diagnoses) {
    }

    /** The winning trial, whose model is published as {@code modelVersion} of the sweep's modelId. */
    record Best(int trial, Map<String, JsonNode> parameters, String jobId, Double objectiveValue, Map<String, Double> metrics) {
    }
}
