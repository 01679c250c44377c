package io.trainserve.service.prediction;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.DistributionSummary;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import java.time.Duration;
import org.springframework.stereotype.Component;

/**
 * Predict metrics with bounded tags (model id, version, outcome; never request ids):
 * {@code trainserve_predictions_total{model,version,outcome}}, the latency histogram
 * {@code trainserve_prediction_latency_seconds{model,version}} and the instances-per-request histogram
 * {@code trainserve_prediction_instances{model}}. A request for a model that does not exist is counted
 * under model {@value #UNKNOWN}, and a version that was not resolved as {@value #NONE}, so made-up ids
 * cannot grow the series. With dynamic batching, {@code trainserve_prediction_batch_rows{model}} is the
 * histogram of rows per forward pass.
 */
@Component
class PredictionMetrics {
    static final String UNKNOWN = "unknown";
    static final String NONE = "none";

    enum Outcome {
        SUCCESS, INVALID_INPUT, NOT_FOUND, ERROR;

        String tag() {
            return name().toLowerCase(java.util.Locale.ROOT);
        }
    }

    private final MeterRegistry registry;
    /** Meters by name and tags, so a predict does not build and look up a meter id per call. */
    private final java.util.concurrent.ConcurrentHashMap<String, Object> meters = new java.util.concurrent.ConcurrentHashMap<>();

    PredictionMetrics(MeterRegistry registry) {
        this.registry = registry;
    }

    void count(String model, String version, Outcome outcome) {
        ((Counter) meter("c " + model + " " + version + " " + outcome, k -> Counter.builder("trainserve.predictions")
                .description("Predict requests by outcome")
                .tags("model", model, "version", version, "outcome", outcome.tag())
                .register(registry))).increment();
    }

    void latency(String model, String version, long nanos) {
        ((Timer) meter("l " + model + " " + version, k -> Timer.builder("trainserve.prediction.latency")
                .description("Time to encode and predict one request")
                .tags("model", model, "version", version)
                .publishPercentileHistogram()
                .minimumExpectedValue(Duration.ofMillis(1).dividedBy(20))
                .maximumExpectedValue(Duration.ofSeconds(30))
                .register(registry))).record(nanos, java.util.concurrent.TimeUnit.NANOSECONDS);
    }

    void instances(String model, long count) {
        summary("i " + model, "trainserve.prediction.instances", "Instances per predict request", model, 100_000.0).record(count);
    }

    void batch(String model, int rows) {
        summary("b " + model, "trainserve.prediction.batch.rows", "Rows per batched forward pass (dynamic batching)", model, 4096.0).record(rows);
    }

    private DistributionSummary summary(String key, String name, String description, String model, double max) {
        return (DistributionSummary) meter(key, k -> DistributionSummary.builder(name)
                .description(description)
                .tags("model", model)
                .publishPercentileHistogram()
                .minimumExpectedValue(1.0)
                .maximumExpectedValue(max)
                .register(registry));
    }

    /** A plain read first: computeIfAbsent may lock the map's bin even when the meter is there. */
    private Object meter(String key, java.util.function.Function<String, Object> create) {
        Object m = meters.get(key);
        return m != null ? m : meters.computeIfAbsent(key, create);
    }
}
