package io.trainserve.service.training;

import java.time.Instant;
import java.util.Collection;
import org.springframework.data.jpa.repository.JpaRepository;
import org.springframework.data.jpa.repository.JpaSpecificationExecutor;
import org.springframework.data.jpa.repository.Modifying;
import org.springframework.data.jpa.repository.Query;
import org.springframework.data.repository.query.Param;

interface JobRepository extends JpaRepository<Job, String>, JpaSpecificationExecutor<Job> {
    long countByStatus(JobStatus status);


    @Query("select count(j) > 0 from Job j where j.status in :statuses "
            + "and (j.datasetId = :id or j.validationDatasetId = :id or j.testDatasetId = :id)")
    boolean usesDataset(@Param("id") String datasetId, @Param("statuses") Collection<JobStatus> statuses);

    @Query("select j.cancelRequested from Job j where j.id = :id")
    Boolean cancelRequested(@Param("id") String id);

    /** Progress is not a state change: a targeted update that neither bumps the version nor touches the status. */
    @Modifying
    @Query("update Job j set j.epoch = :epoch, j.epochs = :epochs, j.step = :step, j.stepsPerEpoch = :stepsPerEpoch, "
            + "j.progress = :progress, j.etaSeconds = :eta, j.learningRate = :lr, j.progressUpdatedAt = :now "
            + "where j.id = :id and j.status = io.trainserve.service.training.JobStatus.RUNNING")
    int updateProgress(@Param("id") String id, @Param("epoch") int epoch, @Param("epochs") int epochs, @Param("step") int step,
                       @Param("stepsPerEpoch") int stepsPerEpoch, @Param("progress") double progress, @Param("eta") Double eta,
                       @Param("lr") Double learningRate, @Param("now") Instant now);

    @Modifying
    @Query("update Job j set j.metricsJson = :metrics, j.epoch = :epoch, j.learningRate = :lr, j.progressUpdatedAt = :now "
            + "where j.id = :id and j.status = io.trainserve.service.training.JobStatus.RUNNING")
    int updateEpochMetrics(@Param("id") String id, @Param("epoch") int epoch, @Param("metrics") String metricsJson,
                           @Param("lr") double learningRate, @Param("now") Instant now);

    /** The training doctor's findings, written by the runner when the run ends (before the job is marked finished). */
    @Modifying
    @org.springframework.transaction.annotation.Transactional
    @Query("update Job j set j.diagnosesJson = :diagnoses where j.id = :id")
    int updateDiagnoses(@Param("id") String id, @Param("diagnoses") String diagnosesJson);

    /** The version a sweep published from this trial's parked model. */
    @Modifying
    @Query("update Job j set j.modelVersion = :version where j.id = :id")
    int updateModelVersion(@Param("id") String id, @Param("version") int version);

    /** An anomaly job's fitted threshold, written by the runner when the run ends (before the job is marked finished). */
    @Modifying
    @org.springframework.transaction.annotation.Transactional
    @Query("update Job j set j.anomalyJson = :anomaly where j.id = :id")
    int updateAnomaly(@Param("id") String id, @Param("anomaly") String anomalyJson);
}
