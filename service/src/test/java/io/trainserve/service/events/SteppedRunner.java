package io.trainserve.service.events;

import io.trainserve.engine.EpochMetrics;
import io.trainserve.engine.TrainingListener;
import io.trainserve.service.training.JobOutcome;
import io.trainserve.service.training.JobRun;
import io.trainserve.service.training.JobRunner;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;

/**
 * A JobRunner whose epochs end one by one when the test releases them (one gate per model id, so a
 * test's permits never run another test's job); then it succeeds as version 1.
 */
class SteppedRunner implements JobRunner {
    static final int EPOCHS = 3;
    private final Map<String, Semaphore> gates = new ConcurrentHashMap<>();

    Semaphore gate(String modelId) {
        return gates.computeIfAbsent(modelId, k -> new Semaphore(0));
    }

    /** Lets every job started so far run to its end. */
    void releaseAll() {
        gates.values().forEach(g -> g.release(EPOCHS));
    }

    @Override
    public JobOutcome run(JobRun run) {
        TrainingListener l = run.listener();
        Semaphore epochs = gate(run.spec().modelId());
        l.onStart(new TrainingListener.RunInfo(0, EPOCHS, 4, 4, 8, 0, 9, "dense"));
        for (int epoch = 1; epoch <= EPOCHS; epoch++) {
            l.onStep(new TrainingListener.StepProgress(epoch, EPOCHS, 2, 4, 1.0 / epoch, 0.01, 100));
            try {
                if (!epochs.tryAcquire(30, TimeUnit.SECONDS)) return JobOutcome.failed("INTERNAL", "test never released epoch " + epoch);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return JobOutcome.cancelled();
            }
            l.onEpochEnd(new EpochMetrics(epoch, Map.of("loss", 1.0 / epoch, "accuracy", 0.3 * epoch), 0.01, 5, 800));
        }
        return JobOutcome.succeeded(1, false, EPOCHS, null);
    }
}
