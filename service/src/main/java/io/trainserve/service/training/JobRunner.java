package io.trainserve.service.training;

/**
 * Runs one training job on the engine: builds the datasets from the spec, calls
 * {@code io.trainserve.engine.Trainer#train} with {@link JobRun#listener()} and
 * {@link JobRun#cancelled()}, stores the resulting model as the next version of {@code spec.modelId()}
 * and reports how it ended. Called on a scheduler thread; exactly one worker runs a given job at a time.
 * Exceptions thrown are recorded as a FAILED job (code from {@link JobOutcome#failed}).
 */
public interface JobRunner {
    JobOutcome run(JobRun run);
}
