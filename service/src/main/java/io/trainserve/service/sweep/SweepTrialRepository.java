package io.trainserve.service.sweep;

import java.util.List;
import java.util.Optional;
import org.springframework.data.jpa.repository.JpaRepository;
import org.springframework.data.jpa.repository.Modifying;
import org.springframework.data.jpa.repository.Query;
import org.springframework.data.repository.query.Param;
import org.springframework.transaction.annotation.Transactional;

interface SweepTrialRepository extends JpaRepository<SweepTrial, SweepTrial.Key> {
    List<SweepTrial> findBySweepIdOrderByTrial(String sweepId);

    Optional<SweepTrial> findByJobId(String jobId);

    /** ASHA stopped the trial at this rung (its job then ends CANCELLED). */
    @Modifying
    @Transactional
    @Query("update SweepTrial t set t.stoppedAtEpoch = :epoch where t.jobId = :jobId")
    int stoppedAt(@Param("jobId") String jobId, @Param("epoch") int epoch);
}
