package io.trainserve.service.training;

import java.util.List;
import org.springframework.data.jpa.repository.JpaRepository;

interface JobEpochRepository extends JpaRepository<JobEpoch, JobEpoch.Key> {
    List<JobEpoch> findByJobIdOrderByEpoch(String jobId);

    List<JobEpoch> findByJobIdInAndEpoch(java.util.Collection<String> jobIds, int epoch);
}
