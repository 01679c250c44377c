package io.trainserve.service.training;

import java.util.List;
import org.springframework.data.repository.Repository;

/** The epochs a watcher has not seen yet, in order (the read side of the live event streams). */
interface JobEpochFeed extends Repository<JobEpoch, JobEpoch.Key> {
    List<JobEpoch> findByJobIdAndEpochGreaterThanOrderByEpoch(String jobId, int epoch);
}
