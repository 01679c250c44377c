package io.trainserve.service.training;

import io.trainserve.service.doctor.Diagnosis;
import java.time.Instant;
import java.util.List;
import java.util.Map;

/** The JSON body of a job (see api-spec: Job). */
public record JobView(String id, String modelId, String datasetId, JobStatus status, Instant createdAt, Instant startedAt,
               Instant finishedAt, Integer epoch, Integer epochs, Integer step, Integer stepsPerEpoch, Double progress,
               Double etaSeconds, Double learningRate, Map<String, Double> metrics, Boolean stoppedEarly, Integer bestEpoch,
               Error error, Integer modelVersion, Map<String, Object> testMetrics, boolean cancelRequested, int attempts,
               String worker, JobSpec spec, List<Diagnosis> diagnoses, String sweepId, Anomaly anomaly) {

    /** What an anomaly job ({@code "task": "anomaly"}) fitted: its threshold, and the quantile it came from (null when fixed). */
    public record Anomaly(double threshold, Double quantile) {
    }

    public record Error(String code, String message) {
    }

    public record EpochView(int epoch, Map<String, Double> metrics, double learningRate, long durationMillis, Double samplesPerSecond,
                     Instant finishedAt) {
    }
}
