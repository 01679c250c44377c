package io.trainserve.service.training;

import java.util.Map;

/**
 * How a run ended, as the job records it.
 *
 * @param modelVersion the registry version created (SUCCEEDED only)
 * @param testMetrics  metrics on the test set, if one was given (may hold a confusion matrix)
 */
public record JobOutcome(JobStatus status, Integer modelVersion, boolean stoppedEarly, int bestEpoch,
                         Map<String, Object> testMetrics, String errorCode, String message) {

    public static JobOutcome succeeded(int modelVersion, boolean stoppedEarly, int bestEpoch, Map<String, Object> testMetrics) {
        return new JobOutcome(JobStatus.SUCCEEDED, modelVersion, stoppedEarly, bestEpoch, testMetrics, null, null);
    }

    /** E.g. code {@code DIVERGED} when the loss became NaN. */
    public static JobOutcome failed(String code, String message) {
        return new JobOutcome(JobStatus.FAILED, null, false, 0, null, code, message);
    }

    public static JobOutcome cancelled() {
        return new JobOutcome(JobStatus.CANCELLED, null, false, 0, null, null, null);
    }
}
