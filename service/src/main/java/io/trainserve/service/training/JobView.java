package io.trainserve.service.training;

import java.time.Instant;
import java.util.Map;

/** The JSON body of a job (see api-spec: Job). */
record JobView(String id, String modelId, String datasetId, JobStatus status, Instant createdAt, Instant startedAt,
               Instant finishedAt, Integer epoch, Integer epochs, Integer step, Integer stepsPerEpoch, Double progress,
               Double etaSeconds, Double learningRate, Map<String, Double> metrics, Boolean stoppedEarly, Integer bestEpoch,
               Error error, Integer modelVersion, Map<String, Object> testMetrics, boolean cancelRequested, int attempts,
               String worker, JobSpec spec) {

    record Error(String code, String message) {
    }

    record EpochView(int epoch, Map<String, Double> metrics, double learningRate, long durationMillis, Double samplesPerSecond,
                     Instant finishedAt) {
    }
}
