package io.trainserve.service.training;

import io.trainserve.engine.EpochMetrics;
import io.trainserve.engine.Outcome;
import io.trainserve.engine.spec.LayerSpec;
import io.trainserve.engine.spec.TrainingSpec;
import java.util.List;
import io.trainserve.service.doctor.Examination;
import io.trainserve.service.doctor.JobDoctor;

import io.trainserve.engine.Checkpoint;
import io.trainserve.engine.CheckpointStore;
import io.trainserve.engine.Dataset;
import io.trainserve.engine.EvaluationReport;
import io.trainserve.engine.Model;
import io.trainserve.engine.NativeRuntime;
import io.trainserve.engine.Trainer;
import io.trainserve.engine.TrainingRequest;
import io.trainserve.engine.TrainingResult;
import io.trainserve.engine.Plan;
import io.trainserve.service.dataset.EngineDatasets;
import io.trainserve.service.registry.ModelRegistry;
import io.trainserve.service.storage.BlobStore;
import io.trainserve.service.storage.CorruptBlobException;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.LinkedHashMap;
import java.util.Map;
import org.springframework.stereotype.Component;

/**
 * Runs a job on the engine: datasets from the catalog, the base model from the registry, an epoch
 * checkpoint in the blob store (resumed from when a dead worker's job is picked up again); the
 * trained model goes back to the worker, which registers it.
 */
@Component
class EngineJobRunner implements JobRunner {
    private static final org.slf4j.Logger log = org.slf4j.LoggerFactory.getLogger(EngineJobRunner.class);
    private final ModelRegistry registry;
    private final EngineDatasets datasets;
    private final BlobStore blobs;
    private final Trainer trainer = new Trainer();
    private final java.time.Duration checkpointInterval;
    private final int nice;

    private final JobDoctor doctor;
    private final JobRepository jobs;
    private final tools.jackson.databind.json.JsonMapper json;

    EngineJobRunner(EngineDatasets datasets, ModelRegistry registry, JobProperties properties, BlobStore blobs, JobDoctor doctor,
                    JobRepository jobs, tools.jackson.databind.json.JsonMapper json) {
        this.doctor = doctor;
        this.jobs = jobs;
        this.json = json;
        this.blobs = blobs;
        this.checkpointInterval = properties.checkpointInterval();
        this.nice = properties.nice();
        this.registry = registry;
        this.datasets = datasets;
    }

    @Override
    public JobOutcome run(JobRun run) {
        JobSpec s = run.spec();
        Model base = s.baseModel() == null ? null
                : JobStepException.during("loading the base model", () -> registry.load(s.baseModel().modelId(), s.baseModel().version()));
        Plan plan = EngineTerms.plan(s, base);
        String missing = plan.preprocessing() == null ? null : plan.preprocessing().missing();

        Dataset train = JobStepException.during("loading the training data", () -> EngineTerms.loading("train", () -> plan.reconstructs()
                ? datasets.unlabelled(s.datasetId(), plan.preprocessing(), base)
                : datasets.training(s.datasetId(), s.target(), plan, base)));
        Dataset validation = s.validation() != null && s.validation().datasetId() != null
                ? JobStepException.during("loading the validation data", () -> EngineTerms.loading("validation", () -> datasets.like(train, s.validation().datasetId(), "validation.datasetId", missing)))
                : null;
        Dataset test = s.test() != null && s.test().datasetId() != null
                ? JobStepException.during("loading the test data", () -> EngineTerms.loading("test", () -> datasets.like(train, s.test().datasetId(), "test.datasetId", missing)))
                : null;

        TrainingRequest fresh = new TrainingRequest(train, validation, plan.validationSplit(), test,
                plan.preprocessing(), s.model(), s.training(), base, plan.freezeLayers(), null, plan.task(), plan.anomaly());
        String checkpoint = run.checkpointKey();
        Checkpoint last = run.attempt() > 1 && blobs.exists(checkpoint)
                ? JobStepException.during("reading the checkpoint", () -> read(checkpoint)) : null;
        if (last != null) log.info("job {} resumes after epoch {} from its checkpoint (attempt {})", run.jobId(), last.epoch(), run.attempt());
        TrainingRequest request = last != null ? fresh.resumingFrom(last) : fresh;

        TrainingResult result = JobStepException.during("training", () -> niced(
                () -> trainer.train(request, run.listener(), checkpointStore(checkpoint), run.cancelled())));
        if (result.outcome() != Outcome.CANCELLED) examine(run.jobId(), plan, train, result);
        if (result.model() != null && result.model().anomalyDetector() != null) {
            var fitted = result.model().anomalyDetector();
            jobs.updateAnomaly(run.jobId(), json.writeValueAsString(new JobView.Anomaly(fitted.threshold(), fitted.quantile())));
        }
        return switch (result.outcome()) {
            case SUCCEEDED -> JobOutcome.trained(result.model(), result.stoppedEarly(), result.bestEpoch(), testMetrics(result.test()));
            case DIVERGED -> JobOutcome.failed("DIVERGED", result.message());
            case CANCELLED -> JobOutcome.cancelled();
        };
    }

    /**
     * Runs the training at {@code trainserve.jobs.nice} (its loop helpers follow), so that on a few cores the
     * request threads of concurrent predicts are scheduled first; the scheduler thread gets its niceness back after.
     */
    private <T> T niced(java.util.function.Supplier<T> work) {
        int before = NativeRuntime.threadNice();
        if (!NativeRuntime.setThreadNice(nice) && nice != before) log.debug("could not set the training thread's niceness to {}", nice);
        try {
            return work.get();
        } finally {
            NativeRuntime.setThreadNice(before);
        }
    }

    /** The training doctor's findings on the finished run, stored on the job before it is marked finished. */
    private void examine(String jobId, Plan plan, Dataset train, TrainingResult result) {
        TrainingSpec t = plan.training();
        String scaling = plan.preprocessing() == null ? null : plan.preprocessing().scaling();
        List<LayerSpec> layers = plan.effectiveModel() == null ? List.of() : plan.effectiveModel().layers();
        boolean relu = layers.size() > 1 && layers.subList(0, layers.size() - 1).stream().anyMatch(l -> "relu".equals(l.activation()));
        Examination x = new Examination(result.history().stream().map(EpochMetrics::metrics).toList(),
                result.outcome() == Outcome.DIVERGED ? result.message() : null,
                t == null || t.learningRate() == null ? Double.NaN : t.learningRate(), t == null ? null : t.optimizer(),
                scaling != null && !"none".equals(scaling), plan.withValidation(), relu, JobDoctor.features(train),
                JobDoctor.classCounts(train));
        jobs.updateDiagnoses(jobId, json.writeValueAsString(doctor.examine(x)));
    }

    /** Test metrics flattened for the job view: accuracy/loss/... at the top, then per-class rows and the confusion matrix. */
    static Map<String, Object> testMetrics(EvaluationReport report) {
        if (report == null) return null;
        Map<String, Object> m = new LinkedHashMap<>(report.metrics());
        m.put("rows", report.rows());
        if (!report.perClass().isEmpty()) {
            m.put("perClass", report.perClass());
            m.put("classNames", report.classNames());
            if (report.confusionMatrix() != null) m.put("confusionMatrix", report.confusionMatrix()); // none for multi-label
        }
        return m;
    }

    /**
     * Replaces the job's checkpoint file atomically (a crash leaves the previous one intact), at most
     * every {@code trainserve.jobs.checkpoint-interval} and after the last epoch: thousands of tiny
     * epochs would otherwise spend their time writing checkpoints.
     */
    private CheckpointStore checkpointStore(String key) {
        long interval = checkpointInterval.toNanos();
        return new CheckpointStore() {
            private long lastWrite = Long.MIN_VALUE;

            @Override
            public boolean wants(int epoch, boolean last) {
                long now = System.nanoTime();
                if (!last && lastWrite != Long.MIN_VALUE && now - lastWrite < interval) return false;
                lastWrite = now;
                return true;
            }

            @Override
            public void save(Checkpoint c) {
                JobStepException.during("writing a checkpoint", () -> blobs.write(key, c::write));
            }
        };
    }

    /** The last checkpoint; a damaged one is ignored (the job restarts from epoch 1 rather than from wrong weights). */
    private Checkpoint read(String key) {
        try (InputStream in = blobs.open(key)) {
            return Checkpoint.read(in);
        } catch (CorruptBlobException e) {
            log.warn("checkpoint {} is corrupt; the job starts again from epoch 1", key);
            return null;
        } catch (IOException e) {
            for (Throwable s : e.getSuppressed()) {
                if (s instanceof CorruptBlobException) return null; // damaged bytes made it unreadable
            }
            throw new UncheckedIOException("cannot read checkpoint " + key, e);
        }
    }
}
