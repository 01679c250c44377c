package io.trainserve.service.events;

import io.trainserve.service.training.JobStatus;
import io.trainserve.service.training.JobView;
import java.time.Instant;
import java.util.Map;

/** Data of an {@code epoch} event: the history row plus the job's status, progress and ETA when it was sent. */
record EpochEvent(int epoch, Map<String, Double> metrics, double learningRate, long durationMillis, Double samplesPerSecond,
                  Instant finishedAt, JobStatus status, double progress, Double etaSeconds) {

    static EpochEvent of(JobView.EpochView e, JobView job) {
        return new EpochEvent(e.epoch(), e.metrics(), e.learningRate(), e.durationMillis(), e.samplesPerSecond(), e.finishedAt(),
                job.status(), job.progress(), job.etaSeconds());
    }
}
