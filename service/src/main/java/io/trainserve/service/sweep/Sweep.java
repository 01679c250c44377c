package io.trainserve.service.sweep;

import io.trainserve.service.system.ConflictException;
import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.EnumType;
import jakarta.persistence.Enumerated;
import jakarta.persistence.Id;
import jakarta.persistence.Table;
import jakarta.persistence.Version;
import java.time.Instant;

/**
 * A hyperparameter sweep. Changes go through the intent methods, made by a step of the driver or by a cancel while
 * holding the sweep's row lock ({@link SweepRepository#lockById}), so instances sharing the database take turns and never
 * queue a trial twice; the version (optimistic lock) rejects any write from a stale read.
 */
@Entity
@Table(name = "sweeps")
class Sweep {
    @Id
    private String id;
    @Column(name = "model_id")
    private String modelId;
    @Enumerated(EnumType.STRING)
    private SweepStatus status;
    @Column(name = "request_json")
    private String requestJson;
    @Column(name = "created_at")
    private Instant createdAt;
    @Column(name = "finished_at")
    private Instant finishedAt;
    @Column(name = "trials_queued")
    private int trialsQueued;
    @Column(name = "best_job_id")
    private String bestJobId;
    @Column(name = "model_version")
    private Integer modelVersion;
    @Column(name = "error_code")
    private String errorCode;
    @Column(name = "error_message")
    private String errorMessage;
    @Version
    private long version;

    protected Sweep() {
    }

    Sweep(String id, String modelId, String requestJson, Instant now) {
        this.id = id;
        this.modelId = modelId;
        this.requestJson = requestJson;
        this.createdAt = now;
        this.status = SweepStatus.RUNNING;
    }

    void queued(int trials) {
        running();
        trialsQueued += trials;
    }

    void succeed(Instant now, String bestJobId, Integer modelVersion) {
        running();
        status = SweepStatus.SUCCEEDED;
        finishedAt = now;
        this.bestJobId = bestJobId;
        this.modelVersion = modelVersion;
    }

    void fail(Instant now, String code, String message) {
        running();
        status = SweepStatus.FAILED;
        finishedAt = now;
        errorCode = code;
        errorMessage = message.length() > 4000 ? message.substring(0, 3997) + "..." : message;
    }

    void cancel(Instant now) {
        running();
        status = SweepStatus.CANCELLED;
        finishedAt = now;
    }

    private void running() {
        if (status.isFinished()) throw new ConflictException("sweep-finished", "sweep " + id + " is already " + status);
    }

    String id() { return id; }

    String modelId() { return modelId; }

    SweepStatus status() { return status; }

    String requestJson() { return requestJson; }

    Instant createdAt() { return createdAt; }

    Instant finishedAt() { return finishedAt; }

    int trialsQueued() { return trialsQueued; }

    String bestJobId() { return bestJobId; }

    Integer modelVersion() { return modelVersion; }

    String errorCode() { return errorCode; }

    String errorMessage() { return errorMessage; }
}
