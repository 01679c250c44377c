package io.trainserve.service.training;

import io.trainserve.engine.TrainingListener;
import java.util.function.BooleanSupplier;

/**
 * What a {@link JobRunner} gets for one attempt at a job.
 *
 * @param attempt       1 for the first run; higher when a dead worker's job is picked up again, in which case
 *                      the runner should resume from the last checkpoint at {@code checkpointKey}
 * @param listener      writes progress and one history row per epoch (throttled; cheap to call every step)
 * @param cancelled     true once someone cancelled the job (checked against the database at most once a second)
 * @param checkpointKey this job's epoch checkpoint blob in the blob store (kept after cancel), e.g.
 *                      {@code checkpoints/<job id>/checkpoint.zip}
 */
public record JobRun(String jobId, JobSpec spec, int attempt, TrainingListener listener, BooleanSupplier cancelled,
                     String checkpointKey) {
}
