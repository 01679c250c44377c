package io.trainserve.service.training;

import java.util.EnumSet;
import java.util.Set;

/** A training job's lifecycle: QUEUED → RUNNING → SUCCEEDED | FAILED | CANCELLED, and QUEUED → CANCELLED. */
public enum JobStatus {
    QUEUED, RUNNING, SUCCEEDED, FAILED, CANCELLED;

    /** The transition table: the only moves a job may make. */
    Set<JobStatus> next() {
        return switch (this) {
            case QUEUED -> EnumSet.of(RUNNING, CANCELLED, FAILED);
            case RUNNING -> EnumSet.of(SUCCEEDED, FAILED, CANCELLED);
            case SUCCEEDED, FAILED, CANCELLED -> EnumSet.noneOf(JobStatus.class);
        };
    }

    boolean canMoveTo(JobStatus target) {
        return next().contains(target);
    }

    public boolean isFinished() {
        return next().isEmpty();
    }
}
