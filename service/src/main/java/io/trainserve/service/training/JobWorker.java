package io.trainserve.service.training;

import io.trainserve.engine.InvalidDataException;
import io.trainserve.engine.spec.InvalidSpecException;
import io.trainserve.service.dataset.CorruptDatasetException;
import io.trainserve.service.registry.ModelRegistry;
import io.trainserve.service.storage.BlobStore;
import io.trainserve.service.system.ErrorIds;
import java.time.Clock;
import java.util.Optional;
import java.util.function.BooleanSupplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.stereotype.Component;
import org.springframework.transaction.PlatformTransactionManager;
import org.springframework.transaction.support.TransactionTemplate;
import tools.jackson.databind.json.JsonMapper;

/**
 * Executes the "train-job" task for one job id: claims the job (QUEUED → RUNNING, or resumes a
 * RUNNING job whose worker died), runs it through the {@link JobRunner}, registers the trained model
 * as the next version of the job's model id (or, for a sweep trial, parks it in the blob store for the sweep to publish
 * if it wins), records how it ended. An unexpected error is logged with
 * an error id; the job's message names only the step that failed and that id.
 * db-scheduler guarantees one execution per job at a time; the optimistic lock on the job row guards
 * against a concurrent cancel. When this instance shuts down (SIGTERM) a running job stops at its next
 * step and is handed back to the queue ({@link HandedBackException}), to be resumed from its last checkpoint
 * by another instance (or this one after a restart).
 */
@Component
class JobWorker {
    private static final Logger log = LoggerFactory.getLogger(JobWorker.class);

    private final JobRepository jobs;
    private final JobHistoryWriter history;
    private final JobRunner runner;
    private final TransactionTemplate tx;
    private final JsonMapper json;
    private final Clock clock;
    private final JobProperties properties;
    private final TrainingMetrics metrics;
    private final ModelRegistry registry;
    private final BlobStore blobs;
    /** Resolved when a trial runs: the gate (a sweep's) depends on the job beans this worker is one of. */
    private final ObjectProvider<EpochGate> gates;
    /** Jobs running on this instance now: a second execution of one of them (a falsely revived one) is ignored. */
    private final java.util.Set<String> running = java.util.concurrent.ConcurrentHashMap.newKeySet();

    JobWorker(JobRepository jobs, JobHistoryWriter history, ObjectProvider<JobRunner> runners, PlatformTransactionManager transactions,
              JsonMapper json, Optional<Clock> clock, JobProperties properties, TrainingMetrics metrics,
              ModelRegistry registry, BlobStore blobs, ObjectProvider<EpochGate> gate) {
        this.blobs = blobs;
        this.gates = gate;
        this.metrics = metrics;
        this.registry = registry;
        this.jobs = jobs;
        this.history = history;
        // The engine integration provides the JobRunner bean; until then every job fails ENGINE_UNAVAILABLE.
        this.runner = runners.getIfUnique(UnavailableJobRunner::new);
        this.tx = new TransactionTemplate(transactions);
        this.json = json;
        this.clock = clock.orElse(Clock.systemUTC());
        this.properties = properties;
    }

    /** A job stopped because this instance is shutting down; the scheduler puts it back in the queue. */
    static final class HandedBackException extends RuntimeException {
        HandedBackException(String jobId) {
            super("job " + jobId + " handed back to the queue: this instance is shutting down", null, false, false); // no stack: not a bug
        }
    }

    /**
     * @param worker       this instance's id, recorded on the job
     * @param shuttingDown true once this instance is stopping: the job then stops at its next step and is handed back
     */
    void execute(String jobId, String worker, BooleanSupplier shuttingDown) {
        if (!running.add(jobId)) {
            log.warn("job {} is already running on this instance; ignoring a second execution", jobId);
            return;
        }
        try {
            run(jobId, worker, shuttingDown);
        } finally {
            running.remove(jobId);
        }
    }

    private void run(String jobId, String worker, BooleanSupplier shuttingDown) {
        Optional<Job> claimed = claim(jobId, worker);
        if (claimed.isEmpty()) return;
        Job job = claimed.get();
        JobSpec spec = json.readValue(job.specJson(), JobSpec.class);
        JobProgress progress = new JobProgress(jobId, spec.modelId(), jobs, history, tx, json, clock, properties.progressInterval(), metrics);
        BooleanSupplier cancelCheck = cancelCheck(jobId);
        GatedListener listener = new GatedListener(progress, job.sweepId() == null ? null : gates.getIfUnique(() -> EpochGate.NEVER), jobId);
        JobRun run = new JobRun(jobId, spec, job.attempts(), listener,
                () -> listener.stopped() || shuttingDown.getAsBoolean() || cancelCheck.getAsBoolean(),
                "checkpoints/" + jobId + "/checkpoint.zip");
        JobOutcome outcome;
        try {
            try {
                outcome = runner.run(run);
            } finally {
                JobStepException.during("saving the epoch history", progress::flush);
            }
            if (outcome == null) outcome = JobOutcome.failed("INTERNAL", "the runner reported no outcome");
            if (outcome.status() == JobStatus.CANCELLED && shuttingDown.getAsBoolean() && !cancelCheck.getAsBoolean()
                    && !listener.stopped()) {
                log.info("job {} stopped by this instance's shutdown; handed back to the queue", jobId);
                throw new HandedBackException(jobId);
            }
            if (outcome.model() != null && job.parkedModelKey() != null) {
                JobOutcome trained = outcome;
                JobStepException.during("parking the model", () -> blobs.write(job.parkedModelKey(), trained.model()::save));
                outcome = outcome.registeredAs(null);
            } else if (outcome.model() != null) {
                JobOutcome trained = outcome;
                int version = JobStepException.during("registering the model", () -> registry.register(spec.modelId(), trained.model(), jobId));
                outcome = outcome.registeredAs(version);
            }
        } catch (InvalidSpecException e) {
            outcome = JobOutcome.failed("INVALID_SPEC", EngineTerms.jsonPaths(e).getMessage());
        } catch (InvalidDataException e) {
            outcome = JobOutcome.failed("INVALID_DATA", e.getMessage());
        } catch (CorruptDatasetException e) {
            outcome = JobOutcome.failed("CORRUPT_DATA", e.getMessage());
        } catch (HandedBackException e) {
            throw e;
        } catch (OutOfMemoryError e) {
            outcome = JobOutcome.failed("OUT_OF_MEMORY", "training ran out of memory: use a smaller batch size or model");
        } catch (RuntimeException e) {
            String errorId = ErrorIds.next();
            String step = e instanceof JobStepException s ? s.step() : "running the job";
            log.error("job {} failed while {} (error id {})", jobId, step, errorId, e);
            outcome = JobOutcome.failed("INTERNAL", "an internal error stopped the job while " + step + " (error id " + errorId + ")");
        }
        finish(jobId, outcome);
    }

    /** The job to run now, or empty when there is nothing to do (cancelled while queued, already finished). */
    Optional<Job> claim(String jobId, String worker) {
        return OnConflict.retry(jobId, () -> tx.execute(s -> {
            Optional<Job> found = jobs.findById(jobId);
            if (found.isEmpty()) {
                log.warn("train-job for unknown job {}; ignored", jobId);
                return Optional.<Job>empty();
            }
            Job job = found.get();
            switch (job.status()) {
                case QUEUED -> job.start(clock.instant());
                case RUNNING -> {
                    if (job.cancelRequested()) {
                        job.cancel(clock.instant());
                        jobs.saveAndFlush(job);
                        return Optional.<Job>empty();
                    }
                    log.info("job {} was RUNNING on {} (died or handed it back); resuming (attempt {})", jobId, job.worker(),
                            job.attempts() + 1);
                    job.resume();
                }
                default -> {
                    return Optional.<Job>empty();
                }
            }
            job.assignTo(worker);
            return Optional.of(jobs.saveAndFlush(job));
        }));
    }

    void finish(String jobId, JobOutcome outcome) {
        String testMetrics = outcome.testMetrics() == null ? null : json.writeValueAsString(outcome.testMetrics());
        OnConflict.retry(jobId, () -> tx.execute(s -> {
            Job job = jobs.findById(jobId).orElseThrow();
            if (job.status().isFinished()) return null;
            switch (outcome.status()) {
                case SUCCEEDED -> job.succeed(clock.instant(), outcome.modelVersion(), outcome.stoppedEarly(), outcome.bestEpoch(), testMetrics);
                case CANCELLED -> job.cancel(clock.instant());
                default -> job.fail(clock.instant(), outcome.errorCode(), outcome.message());
            }
            jobs.saveAndFlush(job);
            return null;
        }));
        metrics.finished(outcome.status());
    }

    private BooleanSupplier cancelCheck(String jobId) {
        long interval = properties.cancelCheckInterval().toNanos();
        return new BooleanSupplier() {
            private long lastCheck = Long.MIN_VALUE;
            private boolean cancelled;

            @Override
            public boolean getAsBoolean() {
                long now = System.nanoTime();
                if (!cancelled && (lastCheck == Long.MIN_VALUE || now - lastCheck >= interval)) {
                    lastCheck = now;
                    cancelled = Boolean.TRUE.equals(tx.execute(s -> jobs.cancelRequested(jobId)));
                }
                return cancelled;
            }
        };
    }
}
