package io.trainserve.service.training;

import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.Id;
import jakarta.persistence.IdClass;
import jakarta.persistence.Table;
import java.io.Serializable;
import java.time.Instant;

/** One finished epoch of a job: its metrics, learning rate and duration (a row of {@code GET /jobs/{id}/history}). */
@Entity
@Table(name = "job_history")
@IdClass(JobEpoch.Key.class)
class JobEpoch {
    @Id
    @Column(name = "job_id")
    private String jobId;
    @Id
    private int epoch;
    @Column(name = "metrics_json")
    private String metricsJson;
    @Column(name = "learning_rate")
    private double learningRate;
    @Column(name = "duration_millis")
    private long durationMillis;
    @Column(name = "samples_per_second")
    private Double samplesPerSecond;
    @Column(name = "created_at")
    private Instant createdAt;

    protected JobEpoch() {
    }

    JobEpoch(String jobId, int epoch, String metricsJson, double learningRate, long durationMillis, double samplesPerSecond,
             Instant createdAt) {
        this.jobId = jobId;
        this.epoch = epoch;
        this.metricsJson = metricsJson;
        this.learningRate = learningRate;
        this.durationMillis = durationMillis;
        this.samplesPerSecond = samplesPerSecond;
        this.createdAt = createdAt;
    }

    record Key(String jobId, int epoch) implements Serializable {
        Key() {
            this(null, 0);
        }
    }

    String jobId() { return jobId; }

    int epoch() { return epoch; }

    String metricsJson() { return metricsJson; }

    double learningRate() { return learningRate; }

    long durationMillis() { return durationMillis; }

    Double samplesPerSecond() { return samplesPerSecond; }

    Instant createdAt() { return createdAt; }
}
