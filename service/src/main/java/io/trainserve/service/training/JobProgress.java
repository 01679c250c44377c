package io.trainserve.service.training;

import io.trainserve.engine.EpochMetrics;
import io.trainserve.engine.TrainingListener;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import org.springframework.transaction.support.TransactionTemplate;
import tools.jackson.databind.json.JsonMapper;

/**
 * The engine's callbacks for one job: step progress written at most once per interval (so polling is
 * live without slowing training), one history row and the job's metrics at every epoch end.
 */
class JobProgress implements TrainingListener {
    private final String jobId;
    private final String modelId;
    private final TrainingMetrics metrics;
    private final JobRepository jobs;
    private final JobEpochRepository history;
    private final TransactionTemplate tx;
    private final JsonMapper json;
    private final Clock clock;
    private final long intervalNanos;

    private long lastWrite = Long.MIN_VALUE;
    private long startedNanos;
    private double startProgress;

    JobProgress(String jobId, String modelId, JobRepository jobs, JobEpochRepository history, TransactionTemplate tx, JsonMapper json,
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
        startProgress = info.epochs() == 0 ? 0 : (double) info.startEpoch() / info.epochs(); // startEpoch = epochs already done
        tx.executeWithoutResult(s -> jobs.updateProgress(jobId, info.startEpoch(), info.epochs(), 0, info.stepsPerEpoch(),
                startProgress, null, null, clock.instant()));
    }

    @Override
    public void onStep(StepProgress p) {
        long now = System.nanoTime();
        if (lastWrite != Long.MIN_VALUE && now - lastWrite < intervalNanos) return;
        lastWrite = now;
        double progress = p.progress();
        Double eta = eta(progress, now);
        tx.executeWithoutResult(s -> jobs.updateProgress(jobId, p.epoch(), p.epochs(), p.step(), p.stepsPerEpoch(), progress, eta,
                p.learningRate(), clock.instant()));
    }

    @Override
    public void onEpochEnd(EpochMetrics e) {
        Instant now = clock.instant();
        String metrics = json.writeValueAsString(e.metrics());
        tx.executeWithoutResult(s -> {
            if (!history.existsById(new JobEpoch.Key(jobId, e.epoch()))) {
                history.save(new JobEpoch(jobId, e.epoch(), metrics, e.learningRate(), e.durationMillis(), e.samplesPerSecond(), now));
            }
            jobs.updateEpochMetrics(jobId, e.epoch(), metrics, e.learningRate(), now);
        });
        this.metrics.epochEnded(modelId, e);
    }

    private Double eta(double progress, long now) {
        double done = progress - startProgress;
        if (done <= 0) return null;
        double elapsedSeconds = (now - startedNanos) / 1e9;
        return elapsedSeconds * (1 - progress) / done;
    }
}
