package io.trainserve.service.sweep;

/** A sweep's lifecycle: RUNNING until every trial ended (SUCCEEDED with a best trial, else FAILED) or it is CANCELLED. */
public enum SweepStatus {
    RUNNING, SUCCEEDED, FAILED, CANCELLED;

    boolean isFinished() {
        return this != RUNNING;
    }
}
