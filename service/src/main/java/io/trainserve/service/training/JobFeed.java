package io.trainserve.service.training;

import java.time.Instant;
import java.util.EnumSet;
import java.util.List;
import java.util.Optional;
import org.springframework.data.jpa.domain.Specification;
import org.springframework.stereotype.Component;

/**
 * What the database says about jobs, as their JSON views: the read port of the live event streams
 * (package {@code events}). It reads rows only, so a job trained on another instance is seen alike.
 */
@Component
public class JobFeed {
    private final JobRepository jobs;
    private final JobEpochFeed epochs;
    private final JobViews views;

    JobFeed(JobRepository jobs, JobEpochFeed epochs, JobViews views) {
        this.jobs = jobs;
        this.epochs = epochs;
        this.views = views;
    }

    public Optional<JobView> job(String id) {
        return jobs.findById(id).map(views::of);
    }

    /** Finished epochs numbered above {@code after}, in epoch order. */
    public List<JobView.EpochView> epochsAfter(String jobId, int after) {
        return epochs.findByJobIdAndEpochGreaterThanOrderByEpoch(jobId, after).stream().map(views::of).toList();
    }

    /** Jobs queued or running now, and those that finished after {@code since}. */
    public List<JobView> activeOrFinishedSince(Instant since) {
        Specification<Job> active = (root, q, cb) -> root.get("status").in(EnumSet.of(JobStatus.QUEUED, JobStatus.RUNNING));
        Specification<Job> recent = (root, q, cb) -> cb.greaterThan(root.get("finishedAt"), since);
        return jobs.findAll(active.or(recent)).stream().map(views::of).toList();
    }
}
