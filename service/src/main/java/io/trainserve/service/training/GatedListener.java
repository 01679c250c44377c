package io.trainserve.service.training;

import io.trainserve.engine.EpochMetrics;
import io.trainserve.engine.TrainingListener;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** A job's listener that also asks an {@link EpochGate} after each epoch whether the job should stop there. */
final class GatedListener implements TrainingListener {
    private static final Logger log = LoggerFactory.getLogger(GatedListener.class);
    private final JobProgress progress;
    private final EpochGate gate;
    private final String jobId;
    private int epochs;
    private volatile boolean stopped;

    /** @param gate null for a job no gate may stop */
    GatedListener(JobProgress progress, EpochGate gate, String jobId) {
        this.progress = progress;
        this.gate = gate;
        this.jobId = jobId;
    }

    /** True once the gate stopped the job. */
    boolean stopped() {
        return stopped;
    }

    @Override
    public void onStart(RunInfo info) {
        epochs = info.epochs();
        progress.onStart(info);
    }

    @Override
    public void onStep(StepProgress p) {
        progress.onStep(p);
    }

    @Override
    public void onEpochEnd(EpochMetrics e) {
        progress.onEpochEnd(e);
        if (gate == null || stopped) return;
        try {
            stopped = gate.stopAfter(jobId, e.epoch(), epochs, e.metrics());
        } catch (RuntimeException ex) {
            // the gate is an optimisation (stopping weak trials early): if it cannot decide, the trial trains on
            log.warn("job {}: the epoch gate failed after epoch {}; training continues: {}", jobId, e.epoch(), ex.toString());
        }
    }

    @Override
    public void onCheckpoint(int epoch) {
        progress.onCheckpoint(epoch);
    }
}
