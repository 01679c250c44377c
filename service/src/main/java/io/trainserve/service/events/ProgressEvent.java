package io.trainserve.service.events;

import io.trainserve.service.training.JobStatus;
import io.trainserve.service.training.JobView;

/** Data of a {@code progress} event: where a running job is within its epochs. */
record ProgressEvent(JobStatus status, Integer epoch, Integer epochs, Integer step, Integer stepsPerEpoch, double progress,
                     Double etaSeconds, Double learningRate) {

    static ProgressEvent of(JobView j) {
        return new ProgressEvent(j.status(), j.epoch(), j.epochs(), j.step(), j.stepsPerEpoch(), j.progress(), j.etaSeconds(),
                j.learningRate());
    }
}
