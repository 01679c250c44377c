package io.trainserve.service.training;

import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.EnumType;
import jakarta.persistence.Enumerated;
import jakarta.persistence.Id;
import jakarta.persistence.Table;
import jakarta.persistence.Version;
import org.hibernate.annotations.DynamicUpdate;
import java.time.Instant;

/**
 * A training job. Its status changes only through the intent methods, each checked against
 * {@link JobStatus}'s transition table; saves are optimistically locked ({@link Version}).
 * Progress fields (epoch, step, ...) are written by the worker's listener through targeted updates.
 */
@Entity
@DynamicUpdate
@Table(name = "jobs")
class Job {
    @Id
    private String id;
    @Column(name = "model_id")
    private String modelId;
    @Column(name = "dataset_id")
    private String datasetId;
    @Column(name = "validation_dataset_id")
    private String validationDatasetId;
    @Column(name = "test_dataset_id")
    private String testDatasetId;
    @Enumerated(EnumType.STRING)
    private JobStatus status;
    @Column(name = "spec_json")
    private String specJson;
    @Column(name = "created_at")
    private Instant createdAt;
    @Column(name = "started_at")
    private Instant startedAt;
    @Column(name = "finished_at")
    private Instant finishedAt;
    private int attempts;
    @Column(name = "cancel_requested")
    private boolean cancelRequested;
    private Integer epoch;
    private Integer epochs;
    private Integer step;
    @Column(name = "steps_per_epoch")
    private Integer stepsPerEpoch;
    private Double progress;
    @Column(name = "eta_seconds")
    private Double etaSeconds;
    @Column(name = "learning_rate")
    private Double learningRate;
    @Column(name = "metrics_json")
    private String metricsJson;
    @Column(name = "stopped_early")
    private Boolean stoppedEarly;
    @Column(name = "best_epoch")
    private Integer bestEpoch;
    @Column(name = "error_code")
    private String errorCode;
    @Column(name = "error_message")
    private String errorMessage;
    @Column(name = "model_version")
    private Integer modelVersion;
    @Column(name = "test_metrics_json")
    private String testMetricsJson;
    /** The training doctor's findings ({@link io.trainserve.service.doctor.Diagnosis} list as JSON), set when the run ends. */
    @Column(name = "diagnoses_json")
    private String diagnosesJson;
    /** An anomaly job's fitted threshold, {@code {threshold, quantile}} as JSON, set when the run ends. */
    @Column(name = "anomaly_json")
    private String anomalyJson;
    @Column(name = "progress_updated_at")
    private Instant progressUpdatedAt;
    private String worker;
    /** The sweep this job is a trial of, or null. */
    @Column(name = "sweep_id")
    private String sweepId;
    /** Where the trained model is parked instead of becoming a version (a sweep trial publishes only its best), or null. */
    @Column(name = "parked_model_key")
    private String parkedModelKey;
    /** Null until first saved, so that saving a new job is one insert (a set id alone would make it look detached: a select first). */
    @Version
    private Long version;

    protected Job() {
    }

    Job(String id, JobSpec spec, String specJson, Instant now) {
        this.id = id;
        this.modelId = spec.modelId();
        this.datasetId = spec.datasetId();
        this.validationDatasetId = spec.validation() == null ? null : spec.validation().datasetId();
        this.testDatasetId = spec.test() == null ? null : spec.test().datasetId();
        this.status = JobStatus.QUEUED;
        this.specJson = specJson;
        this.createdAt = now;
    }

    /** A sweep's trial; {@code parkedModelKey} non-null keeps its model out of the registry (see {@link #parkedModelKey()}). */
    Job(String id, JobSpec spec, String specJson, Instant now, String sweepId, String parkedModelKey) {
        this(id, spec, specJson, now);
        this.sweepId = sweepId;
        this.parkedModelKey = parkedModelKey;
    }

    /** A worker claimed the queued job. */
    void start(Instant now) {
        moveTo(JobStatus.RUNNING);
        attempts++;
        startedAt = now;
    }

    /** A worker picked up a RUNNING job whose previous worker died; it resumes from the last checkpoint. */
    void resume() {
        if (status != JobStatus.RUNNING) throw new IllegalTransitionException(id, status, JobStatus.RUNNING);
        attempts++;
    }

    /** Records the instance that runs the job now (kept after it ends). */
    void assignTo(String worker) {
        if (worker != null) this.worker = worker;
    }

    void succeed(Instant now, Integer modelVersion, boolean stoppedEarly, int bestEpoch, String testMetricsJson) {
        moveTo(JobStatus.SUCCEEDED);
        finishedAt = now;
        progress = 1.0;
        etaSeconds = 0.0;
        this.modelVersion = modelVersion;
        this.stoppedEarly = stoppedEarly;
        this.bestEpoch = bestEpoch;
        this.testMetricsJson = testMetricsJson;
    }

    void fail(Instant now, String code, String message) {
        moveTo(JobStatus.FAILED);
        finishedAt = now;
        etaSeconds = null;
        errorCode = code;
        errorMessage = message == null ? null : message.length() > 4000 ? message.substring(0, 3997) + "..." : message;
    }

    void cancel(Instant now) {
        moveTo(JobStatus.CANCELLED);
        finishedAt = now;
        etaSeconds = null;
    }

    /** Asks the worker of a RUNNING job to stop after its current step; it then calls {@link #cancel}. */
    void requestCancel() {
        if (status != JobStatus.RUNNING) throw new IllegalTransitionException(id, status, JobStatus.CANCELLED);
        cancelRequested = true;
    }

    private void moveTo(JobStatus target) {
        if (!status.canMoveTo(target)) throw new IllegalTransitionException(id, status, target);
        status = target;
    }

    String id() { return id; }

    String modelId() { return modelId; }

    String datasetId() { return datasetId; }

    JobStatus status() { return status; }

    String specJson() { return specJson; }

    Instant createdAt() { return createdAt; }

    Instant startedAt() { return startedAt; }

    Instant finishedAt() { return finishedAt; }

    int attempts() { return attempts; }

    boolean cancelRequested() { return cancelRequested; }

    Integer epoch() { return epoch; }

    Integer epochs() { return epochs; }

    Integer step() { return step; }

    Integer stepsPerEpoch() { return stepsPerEpoch; }

    Double progress() { return progress; }

    Double etaSeconds() { return etaSeconds; }

    Double learningRate() { return learningRate; }

    String metricsJson() { return metricsJson; }

    Boolean stoppedEarly() { return stoppedEarly; }

    Integer bestEpoch() { return bestEpoch; }

    String errorCode() { return errorCode; }

    String errorMessage() { return errorMessage; }

    Integer modelVersion() { return modelVersion; }

    String testMetricsJson() { return testMetricsJson; }

    String diagnosesJson() { return diagnosesJson; }

    String anomalyJson() { return anomalyJson; }

    String worker() { return worker; }

    String sweepId() { return sweepId; }

    String parkedModelKey() { return parkedModelKey; }

    long version() { return version == null ? 0 : version; }
}
