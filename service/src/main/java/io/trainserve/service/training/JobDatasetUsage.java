package io.trainserve.service.training;

import io.trainserve.service.dataset.DatasetUsage;
import java.util.EnumSet;
import org.springframework.stereotype.Component;

/** A dataset is in use while a queued or running job trains, validates or tests on it. */
@Component
class JobDatasetUsage implements DatasetUsage {
    private final JobRepository jobs;

    JobDatasetUsage(JobRepository jobs) {
        this.jobs = jobs;
    }

    @Override
    public boolean inUse(String datasetId) {
        return jobs.usesDataset(datasetId, EnumSet.of(JobStatus.QUEUED, JobStatus.RUNNING));
    }
}
