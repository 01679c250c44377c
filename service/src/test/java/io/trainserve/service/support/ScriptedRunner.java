package io.trainserve.service.support;

import io.trainserve.engine.EpochMetrics;
import io.trainserve.engine.TrainingListener;
import io.trainserve.service.training.JobOutcome;
import io.trainserve.service.training.JobRun;
import io.trainserve.service.training.JobRunner;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

/**
 * A JobRunner for tests: reports one epoch, signals {@link #started}, then holds until released
 * (→ SUCCEEDED as version 1) or cancelled (→ CANCELLED).
 */
public class ScriptedRunner implements JobRunner {
    public volatile CountDownLatch started = new CountDownLatch(1);
    public volatile CountDownLatch release = new CountDownLatch(1);

    public void reset() {
        started = new CountDownLatch(1);
        release = new CountDownLatch(1);
    }

    @Override
    public JobOutcome run(JobRun run) {
        run.listener().onStart(new TrainingListener.RunInfo(1, 3, 2, 4, 8, 0, 9, "dense"));
        run.listener().onStep(new TrainingListener.StepProgress(1, 3, 1, 2, 1.2, 0.01, 100));
        run.listener().onEpochEnd(new EpochMetrics(1, Map.of("loss", 1.1, "accuracy", 0.5), 0.01, 12, 640));
        started.countDown();
        try {
            while (!release.await(20, TimeUnit.MILLISECONDS)) {
                if (run.cancelled().getAsBoolean()) return JobOutcome.cancelled();
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return JobOutcome.cancelled();
        }
        return JobOutcome.succeeded(1, false, 1, Map.of("accuracy", 1.0));
    }
}
