package io.trainserve.service.training;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import io.trainserve.engine.EpochMetrics;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;
import org.springframework.stereotype.Component;

/**
 * Training as Prometheus sees it (names trainserve_*): jobs queued and running, jobs finished by
 * status, epoch duration, samples per second and the latest loss/accuracy per model and split.
 * Labels are bounded: model id, status, split; never a job id.
 */
@Component
class TrainingMetrics {
    private final MeterRegistry registry;
    private final Map<String, AtomicLong> latest = new ConcurrentHashMap<>();

    TrainingMetrics(MeterRegistry registry, JobRepository jobs) {
        this.registry = registry;
        Gauge.builder("trainserve.jobs.queued", () -> jobs.countByStatus(JobStatus.QUEUED)).description("Jobs waiting for a worker")
                .register(registry);
        Gauge.builder("trainserve.jobs.running", () -> jobs.countByStatus(JobStatus.RUNNING)).description("Jobs training now")
                .register(registry);
    }

    void finished(JobStatus status) {
        Counter.builder("trainserve.jobs.finished").description("Jobs that ended, by final status")
                .tag("status", status.name().toLowerCase()).register(registry).increment();
    }

    /** Epochs that ended since the last call, in order: each duration recorded, the latest values set. */
    void epochsEnded(String modelId, List<EpochMetrics> epochs) {
        if (epochs.isEmpty()) return;
        Timer timer = Timer.builder("trainserve.epoch.duration").description("Duration of one training epoch").tag("model", modelId)
                .register(registry);
        for (EpochMetrics e : epochs) timer.record(Duration.ofMillis(e.durationMillis()));
        latest(modelId, epochs.get(epochs.size() - 1));
    }

    private void latest(String modelId, EpochMetrics e) {
        set("trainserve.training.samples.per.second", modelId, null, e.samplesPerSecond());
        Map<String, Double> m = e.metrics();
        set("trainserve.training.loss", modelId, "train", m.get("loss"));
        set("trainserve.training.loss", modelId, "validation", m.get("val_loss"));
        Double accuracy = m.containsKey("accuracy") ? m.get("accuracy") : m.get("binary_accuracy");
        Double valAccuracy = m.containsKey("val_accuracy") ? m.get("val_accuracy") : m.get("val_binary_accuracy");
        set("trainserve.training.accuracy", modelId, "train", accuracy);
        set("trainserve.training.accuracy", modelId, "validation", valAccuracy);
    }

    /** A gauge per (name, model, split) holding the latest value; registered on first use. */
    private void set(String name, String modelId, String split, Double value) {
        if (value == null) return;
        String key = name + '|' + modelId + '|' + split;
        AtomicLong bits = latest.computeIfAbsent(key, k -> {
            AtomicLong holder = new AtomicLong();
            Gauge.Builder<AtomicLong> b = Gauge.builder(name, holder, h -> Double.longBitsToDouble(h.get())).tag("model", modelId);
            if (split != null) b.tag("split", split);
            b.register(registry);
            return holder;
        });
        bits.set(Double.doubleToLongBits(value));
    }
}
