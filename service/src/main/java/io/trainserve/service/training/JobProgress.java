package io.trainserve.service.training;

import io.trainserve.engine.EpochMetrics;
import io.trainserve.engine.TrainingListener;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import org.springframework.transaction.support.TransactionTemplate;
import tools.jackson.databind.json.JsonMapper;

/**
 * The engine's callbacks for one job. Step progress, epoch history rows and the job's latest metrics
 * are buffered and written together in one transaction at most once per interval, before every epoch
 * checkpoint (so a resumed run never misses a row before the epoch it resumes after) and when the run
 * ends ({@link #flush}): thousands of tiny epochs would otherwise spend their time writing rows.
 */
class JobProgress implements TrainingListener {
    private final String jobId;
    private final String modelId;
    private final TrainingMetrics metrics;
    private final JobRepository jobs;
    private final JobHistoryWriter history;
    private final TransactionTemplate tx;
    private final JsonMapper json;
    private final Clock clock;
    private final long intervalNanos;

    private long lastWrite = Long.MIN_VALUE;
    private long startedNanos;
    private double startProgress;
    private final List<JobEpoch> pendingRows = new ArrayList<>();
    private final List<EpochMetrics> pendingEpochs = new ArrayList<>();
    private EpochMetrics pendingEpoch;
    private String pendingMetricsJson;
    private StepProgress pendingStep;

    JobProgress(String jobId, String modelId, JobRepository jobs, JobHistoryWriter history, TransactionTemplate tx, JsonMapper json,
                Clock clock, Duration interval, TrainingMetrics metrics) {
        this.jobId = jobId;
        this.modelId = modelId;
        this.metrics = metrics;
        this.jobs = jobs;
        this.history = history;
        this.tx = tx;
        this.json = json;
        this.clock = clock;
        this.intervalNanos = interval.toNanos();
    }

    @Override
    public void onStart(RunInfo info) {
        startedNanos = System.nanoTime();
        lastWrite = startedNanos;
        startProgress = info.epochs() == 0 ? 0 : (double) info.startEpoch() / info.epochs(); // startEpoch = epochs already done
        tx.executeWithoutResult(s -> jobs.updateProgress(jobId, info.startEpoch(), info.epochs(), 0, info.stepsPerEpoch(),
                startProgress, null, null, clock.instant()));
    }

    @Override
    public void onStep(StepProgress p) {
        pendingStep = p;
        flushIfDue();
    }

    @Override
    public void onEpochEnd(EpochMetrics e) {
        pendingMetricsJson = json.writeValueAsString(e.metrics());
        pendingEpoch = e;
        pendingRows.add(new JobEpoch(jobId, e.epoch(), pendingMetricsJson, e.learningRate(), e.durationMillis(), e.samplesPerSecond(),
                clock.instant()));
        pendingEpochs.add(e);
        flushIfDue();
    }

    @Override
    public void onCheckpoint(int epoch) {
        flush();
    }

    private void flushIfDue() {
        if (System.nanoTime() - lastWrite >= intervalNanos) flush();
    }

    /** Writes whatever is buffered; called by the worker when the run ends, however it ends. */
    void flush() {
        long now = System.nanoTime();
        lastWrite = now;
        if (pendingRows.isEmpty() && pendingStep == null) return;
        List<JobEpoch> rows = List.copyOf(pendingRows);
        StepProgress step = pendingStep;
        EpochMetrics epoch = pendingEpoch;
        String metricsJson = pendingMetricsJson;
        Double eta = step == null ? null : eta(step.progress(), now);
        Instant at = clock.instant();
        tx.executeWithoutResult(s -> {
            history.append(jobId, rows);
            if (step != null) {
                jobs.updateProgress(jobId, step.epoch(), step.epochs(), step.step(), step.stepsPerEpoch(), step.progress(), eta,
                        step.learningRate(), at);
            }
            if (epoch != null) jobs.updateEpochMetrics(jobId, epoch.epoch(), metricsJson, epoch.learningRate(), at);
        });
        metrics.epochsEnded(modelId, pendingEpochs);
        pendingEpochs.clear();
        pendingRows.clear();
        pendingStep = null;
        pendingEpoch = null;
        pendingMetricsJson = null;
    }

    private Double eta(double progress, long now) {
        double done = progress - startProgress;
        if (done <= 0) return null;
        double elapsedSeconds = (now - startedNanos) / 1e9;
        return elapsedSeconds * (1 - progress) / done;
    }
}
