package io.trainserve.service.training;

import io.trainserve.engine.Checkpoint;
import io.trainserve.engine.CheckpointStore;
import io.trainserve.engine.Dataset;
import io.trainserve.engine.EvaluationReport;
import io.trainserve.engine.Model;
import io.trainserve.engine.Trainer;
import io.trainserve.engine.TrainingRequest;
import io.trainserve.engine.TrainingResult;
import io.trainserve.engine.Plan;
import io.trainserve.service.dataset.EngineDatasets;
import io.trainserve.service.registry.ModelRegistry;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.LinkedHashMap;
import java.util.Map;
import org.springframework.stereotype.Component;

/**
 * Runs a job on the engine: datasets from the catalog, the base model from the registry, an epoch
 * checkpoint in the job's directory (resumed from when a dead worker's job is picked up again); the
 * trained model goes back to the worker, which registers it.
 */
@Component
class EngineJobRunner implements JobRunner {
    static final String CHECKPOINT_FILE = "checkpoint.zip";
    private final ModelRegistry registry;
    private final EngineDatasets datasets;
    private final Trainer trainer = new Trainer();
    private final java.time.Duration checkpointInterval;

    EngineJobRunner(EngineDatasets datasets, ModelRegistry registry, JobProperties properties) {
        this.checkpointInterval = properties.checkpointInterval();
        this.registry = registry;
        this.datasets = datasets;
    }

    @Override
    public JobOutcome run(JobRun run) {
        JobSpec s = run.spec();
        Model base = s.baseModel() == null ? null
                : JobStepException.during("loading the base model", () -> registry.load(s.baseModel().modelId(), s.baseModel().version()));
        Plan plan = EngineTerms.plan(s, base);
        String missing = s.preprocessing() == null ? null : s.preprocessing().missing();

        Dataset train = JobStepException.during("loading the training data",
                () -> datasets.training(s.datasetId(), s.target(), plan.predictsClasses(), missing, base));
        Dataset validation = s.validation() != null && s.validation().datasetId() != null
                ? JobStepException.during("loading the validation data", () -> datasets.like(train, s.validation().datasetId(), "validation.datasetId", missing))
                : null;
        Dataset test = s.test() != null && s.test().datasetId() != null
                ? JobStepException.during("loading the test data", () -> datasets.like(train, s.test().datasetId(), "test.datasetId", missing))
                : null;

        TrainingRequest fresh = new TrainingRequest(train, validation, plan.validationSplit(), test,
                s.preprocessing(), s.model(), s.training(), base, plan.freezeLayers(), null);
        Path checkpoint = run.checkpointDir().resolve(CHECKPOINT_FILE);
        TrainingRequest request = run.attempt() > 1 && Files.exists(checkpoint)
                ? fresh.resumingFrom(JobStepException.during("reading the checkpoint", () -> read(checkpoint))) : fresh;

        TrainingResult result = JobStepException.during("training",
                () -> trainer.train(request, run.listener(), checkpointStore(checkpoint), run.cancelled()));
        return switch (result.outcome()) {
            case SUCCEEDED -> JobOutcome.trained(result.model(), result.stoppedEarly(), result.bestEpoch(), testMetrics(result.test()));
            case DIVERGED -> JobOutcome.failed("DIVERGED", result.message());
            case CANCELLED -> JobOutcome.cancelled();
        };
    }

    /** Test metrics flattened for the job view: accuracy/loss/... at the top, then per-class rows and the confusion matrix. */
    static Map<String, Object> testMetrics(EvaluationReport report) {
        if (report == null) return null;
        Map<String, Object> m = new LinkedHashMap<>(report.metrics());
        m.put("rows", report.rows());
        if (!report.perClass().isEmpty()) {
            m.put("perClass", report.perClass());
            m.put("classNames", report.classNames());
            m.put("confusionMatrix", report.confusionMatrix());
        }
        return m;
    }

    /**
     * Replaces the job's checkpoint file atomically (a crash leaves the previous one intact), at most
     * every {@code trainserve.jobs.checkpoint-interval} and after the last epoch: thousands of tiny
     * epochs would otherwise spend their time writing checkpoints.
     */
    private CheckpointStore checkpointStore(Path file) {
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
                JobStepException.during("writing a checkpoint", () -> write(c, file));
            }
        };
    }

    private static void write(Checkpoint c, Path file) {
        try {
            Files.createDirectories(file.getParent());
            Path tmp = file.resolveSibling(CHECKPOINT_FILE + ".tmp");
            try (OutputStream out = Files.newOutputStream(tmp)) {
                c.write(out);
            }
            Files.move(tmp, file, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write checkpoint " + file, e);
        }
    }

    private static Checkpoint read(Path file) {
        try (InputStream in = Files.newInputStream(file)) {
            return Checkpoint.read(in);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read checkpoint " + file, e);
        }
    }
}
