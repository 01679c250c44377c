package io.trainserve.service.training;

/**
 * Stand-in until the engine's Trainer is wired in (a {@link JobRunner} bean replaces it):
 * every job fails with code {@code ENGINE_UNAVAILABLE}, so the whole job flow can be exercised.
 */
class UnavailableJobRunner implements JobRunner {
    @Override
    public JobOutcome run(JobRun run) {
        return JobOutcome.failed("ENGINE_UNAVAILABLE", "training is not wired to the engine in this build");
    }
}
