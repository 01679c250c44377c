package io.trainserve.service.sweep;

import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.Id;
import jakarta.persistence.IdClass;
import jakarta.persistence.Table;
import java.io.Serializable;
import org.hibernate.annotations.DynamicUpdate;

/**
 * One planned trial of a sweep: its parameter values, and once queued its job. The job says how it goes;
 * {@code stoppedAtEpoch} says ASHA stopped it (written by the worker's epoch gate, a targeted update).
 */
@Entity
@DynamicUpdate
@Table(name = "sweep_trials")
@IdClass(SweepTrial.Key.class)
class SweepTrial {
    @Id
    @Column(name = "sweep_id")
    private String sweepId;
    @Id
    private int trial;
    @Column(name = "parameters_json")
    private String parametersJson;
    @Column(name = "job_id")
    private String jobId;
    @Column(name = "stopped_at_epoch")
    private Integer stoppedAtEpoch;

    protected SweepTrial() {
    }

    SweepTrial(String sweepId, int trial, String parametersJson) {
        this.sweepId = sweepId;
        this.trial = trial;
        this.parametersJson = parametersJson;
    }

    void queuedAs(String jobId) {
        if (this.jobId != null) throw new IllegalStateException("trial " + trial + " of sweep " + sweepId + " is already queued");
        this.jobId = jobId;
    }

    record Key(String sweepId, int trial) implements Serializable {
        Key() {
            this(null, 0);
        }
    }

    String sweepId() { return sweepId; }

    int trial() { return trial; }

    String parametersJson() { return parametersJson; }

    String jobId() { return jobId; }

    Integer stoppedAtEpoch() { return stoppedAtEpoch; }
}
