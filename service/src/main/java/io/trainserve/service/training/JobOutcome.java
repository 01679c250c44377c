package io.trainserve.service.training;

import io.trainserve.engine.Model;
import java.util.Map;

/**
 * How a run ended, as the job records it.
 *
 * @param modelVersion the registry version created (SUCCEEDED only, once registered)
 * @param testMetrics  metrics on the test set, if one was given (may hold a confusion matrix)
 * @param model        the trained model the worker is to register (SUCCEEDED only, before registering)
 */
public record JobOutcome(JobStatus status, Integer modelVersion, boolean stoppedEarly, int bestEpoch,
                         Map<String, Object> testMetrics, String errorCode, String message, Model model) {

    public static JobOutcome succeeded(int modelVersion, boolean stoppedEarly, int bestEpoch, Map<String, Object> testMetrics) {
        return new JobOutcome(JobStatus.SUCCEEDED, modelVersion, stoppedEarly, bestEpoch, testMetrics, null, null, null);
    }

    /** A model trained and not yet registered: the worker registers it and records {@link #registeredAs its version}. */
    public static JobOutcome trained(Model model, boolean stoppedEarly, int bestEpoch, Map<String, Object> testMetrics) {
        return new JobOutcome(JobStatus.SUCCEEDED, null, stoppedEarly, bestEpoch, testMetrics, null, null, model);
    }

    /** @param version the registry version, or null when the model was parked (a sweep trial, see {@code Job#parkedModelKey}) */
    JobOutcome registeredAs(Integer version) {
        return new JobOutcome(status, version, stoppedEarly, bestEpoch, testMetrics, null, null, null);
    }

    /** E.g. code {@code DIVERGED} when the loss became NaN. */
    public static JobOutcome failed(String code, String message) {
        return new JobOutcome(JobStatus.FAILED, null, false, 0, null, code, message, null);
    }

    public static JobOutcome cancelled() {
        return new JobOutcome(JobStatus.CANCELLED, null, false, 0, null, null, null, null);
    }
}
