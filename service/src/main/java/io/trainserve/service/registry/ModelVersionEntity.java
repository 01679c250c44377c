package io.trainserve.service.registry;

import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.Id;
import jakarta.persistence.IdClass;
import jakarta.persistence.Table;
import java.io.Serializable;
import java.time.Instant;

/** Version N of a model: its bundle's blob key, its checksum and metrics. */
@Entity
@Table(name = "model_versions")
@IdClass(ModelVersionEntity.Key.class)
class ModelVersionEntity {
    @Id
    @Column(name = "model_id")
    private String modelId;
    @Id
    private int version;
    @Column(name = "job_id")
    private String jobId;
    @Column(name = "created_at")
    private Instant createdAt;
    @Column(name = "metrics_json")
    private String metricsJson;
    @Column(name = "test_metrics_json")
    private String testMetricsJson;
    @Column(name = "summary_json")
    private String summaryJson;
    @Column(name = "bundle_key")
    private String bundleKey;
    @Column(name = "bundle_sha256")
    private String bundleSha256;
    @Column(name = "bundle_size_bytes")
    private long bundleSizeBytes;

    protected ModelVersionEntity() {
    }

    ModelVersionEntity(String modelId, int version, String jobId, Instant createdAt, String metricsJson, String testMetricsJson,
                       String summaryJson, String bundleKey, String bundleSha256, long bundleSizeBytes) {
        this.modelId = modelId;
        this.version = version;
        this.jobId = jobId;
        this.createdAt = createdAt;
        this.metricsJson = metricsJson;
        this.testMetricsJson = testMetricsJson;
        this.summaryJson = summaryJson;
        this.bundleKey = bundleKey;
        this.bundleSha256 = bundleSha256;
        this.bundleSizeBytes = bundleSizeBytes;
    }

    record Key(String modelId, int version) implements Serializable {
        Key() {
            this(null, 0);
        }
    }

    String modelId() { return modelId; }

    int version() { return version; }

    String jobId() { return jobId; }

    Instant createdAt() { return createdAt; }

    String metricsJson() { return metricsJson; }

    String testMetricsJson() { return testMetricsJson; }

    String summaryJson() { return summaryJson; }

    /** The bundle blob's key in the blob store (never a path). */
    String bundleKey() { return bundleKey; }

    String bundleSha256() { return bundleSha256; }

    long bundleSizeBytes() { return bundleSizeBytes; }
}
