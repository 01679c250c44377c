package io.trainserve.service.dataset;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import org.springframework.stereotype.Component;

/** Dataset uploads by format and outcome, and bytes accepted (Prometheus: trainserve_dataset_upload*). */
@Component
class UploadMetrics {
    private final MeterRegistry registry;
    private final Counter bytes;

    UploadMetrics(MeterRegistry registry) {
        this.registry = registry;
        this.bytes = Counter.builder("trainserve.dataset.upload.bytes").baseUnit("bytes")
                .description("Bytes of accepted dataset uploads").register(registry);
    }

    void accepted(Format format, long size) {
        count(format, "accepted");
        bytes.increment(size);
    }

    void rejected(Format format) {
        count(format, "rejected");
    }

    private void count(Format format, String outcome) {
        Counter.builder("trainserve.dataset.uploads").description("Dataset uploads")
                .tag("format", format.name().toLowerCase()).tag("outcome", outcome).register(registry).increment();
    }
}
