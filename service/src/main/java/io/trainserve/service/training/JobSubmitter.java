package io.trainserve.service.training;

import com.github.kagkarlsson.scheduler.SchedulerClient;
import com.github.kagkarlsson.scheduler.task.TaskInstanceId;
import com.github.kagkarlsson.scheduler.task.helper.OneTimeTask;
import io.trainserve.service.security.Audit;
import java.time.Clock;
import java.util.List;
import java.util.Optional;
import java.util.UUID;
import org.springframework.stereotype.Component;
import org.springframework.transaction.annotation.Transactional;
import tools.jackson.databind.json.JsonMapper;

/** Queues validated jobs and cancels them. The job row and its scheduler execution commit together. */
@Component
class JobSubmitter {
    private final JobSpecValidator validator;
    private final JobRepository jobs;
    private final SchedulerClient scheduler;
    private final OneTimeTask<String> task;
    private final JsonMapper json;
    private final Clock clock;

    private final TrainingMetrics metrics;
    private final Audit audit;

    JobSubmitter(JobSpecValidator validator, JobRepository jobs, SchedulerClient scheduler, OneTimeTask<String> trainJobTask,
                 JsonMapper json, Optional<Clock> clock, TrainingMetrics metrics, Audit audit) {
        this.audit = audit;
        this.metrics = metrics;
        this.validator = validator;
        this.jobs = jobs;
        this.scheduler = scheduler;
        this.task = trainJobTask;
        this.json = json;
        this.clock = clock.orElse(Clock.systemUTC());
    }

    /** One transaction: the job row, its scheduler execution and the audit event (three inserts, one commit). */
    @Transactional
    Job submit(JobSpec spec) {
        return submit(spec, null, false);
    }

    /**
     * The one front door of every job, a sweep's trials included.
     *
     * @param sweepId     the sweep the job is a trial of, or null
     * @param parkModel   keep the trained model out of the registry, parked under {@code trials/<job id>/model.zip}
     */
    @Transactional
    Job submit(JobSpec spec, String sweepId, boolean parkModel) {
        validator.validate(spec);
        String id = UUID.randomUUID().toString();
        String parked = parkModel ? parkedModelKey(id) : null;
        Job job = jobs.saveAndFlush(new Job(id, spec, json.writeValueAsString(spec), clock.instant(), sweepId, parked));
        // a fresh id cannot be scheduled yet: a plain insert (scheduleIfNotExists would select first)
        scheduler.scheduleBatch(List.of(task.instance(id, id)), clock.instant());
        audit.record("job.submit", id + " (model " + job.modelId() + (sweepId == null ? ")" : ", sweep " + sweepId + ")"));
        return job;
    }

    static String parkedModelKey(String jobId) {
        return "trials/" + jobId + "/model.zip";
    }

    /** Removes a job that was queued by a request that lost a race with an earlier one carrying the same Idempotency-Key. */
    @Transactional
    void withdraw(Job job) {
        try {
            scheduler.cancel(TaskInstanceId.of(TrainJobTaskConfig.TASK, job.id()));
        } catch (RuntimeException alreadyPicked) {
            // picked in the meantime: the worker finds no job row and ignores it
        }
        jobs.deleteById(job.id());
    }

    /** QUEUED jobs are cancelled at once; RUNNING ones are asked to stop and become CANCELLED within about a second. */
    @Transactional
    Job cancel(Job job) {
        if (job.status() == JobStatus.QUEUED) {
            job.cancel(clock.instant());
            Job saved = jobs.saveAndFlush(job);
            try {
                scheduler.cancel(TaskInstanceId.of(TrainJobTaskConfig.TASK, job.id()));
            } catch (RuntimeException alreadyPicked) {
                // a worker picked it in the meantime; it will see CANCELLED and stop
            }
            metrics.finished(JobStatus.CANCELLED);
            return saved;
        }
        job.requestCancel();
        return jobs.saveAndFlush(job);
    }
}
