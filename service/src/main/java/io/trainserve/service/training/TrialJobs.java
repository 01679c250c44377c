package io.trainserve.service.training;

import io.trainserve.engine.Model;
import io.trainserve.service.registry.ModelRegistry;
import io.trainserve.service.storage.BlobStore;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.Collection;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;
import org.springframework.stereotype.Component;
import org.springframework.transaction.annotation.Transactional;

/**
 * The job feature's door for sweeps: a trial is an ordinary job, checked and queued by the same
 * {@link JobSpecValidator} and {@link JobSubmitter} as {@code POST /jobs}, read as the same {@link JobView}.
 * A trial's model is parked in the blob store instead of becoming a version (unless the sweep asks for every
 * trial's version); the sweep publishes the winner's with {@link #publish}.
 */
@Component
public class TrialJobs {
    private final JobSpecValidator validator;
    private final JobSubmitter submitter;
    private final JobRepository jobs;
    private final JobViews views;
    private final BlobStore blobs;
    private final ModelRegistry registry;
    private final JobEpochRepository history;

    TrialJobs(JobSpecValidator validator, JobSubmitter submitter, JobRepository jobs, JobViews views, BlobStore blobs,
              ModelRegistry registry, JobEpochRepository history) {
        this.history = history;
        this.validator = validator;
        this.submitter = submitter;
        this.jobs = jobs;
        this.views = views;
        this.blobs = blobs;
        this.registry = registry;
    }

    /** The check {@code POST /jobs} runs: throws the same 400/404 problems. */
    public void check(JobSpec spec) {
        validator.validate(spec);
    }

    /**
     * Queues a trial (joining the caller's transaction).
     *
     * @param version true: the trained model becomes a version like any job's; false: it is parked for {@link #publish}
     * @return the job id
     */
    @Transactional
    public String submit(JobSpec spec, String sweepId, boolean version) {
        return submitter.submit(spec, sweepId, !version).id();
    }

    public Optional<JobView> find(String jobId) {
        return jobs.findById(jobId).map(views::of);
    }

    /** What each of {@code jobIds} reported at the end of {@code epoch}, from the job history (jobs not there yet are absent). */
    public Map<String, Map<String, Double>> metricsAt(Collection<String> jobIds, int epoch) {
        if (jobIds.isEmpty()) return Map.of();
        Map<String, Map<String, Double>> found = new HashMap<>();
        for (JobEpoch e : history.findByJobIdInAndEpoch(jobIds, epoch)) found.put(e.jobId(), views.of(e).metrics());
        return found;
    }

    /** Cancels a queued or running job as {@code POST /jobs/{id}/cancel} does; a finished (or already stopping) job is left alone. */
    public void cancel(String jobId) {
        OnConflict.retry(jobId, () -> {
            Optional<Job> job = jobs.findById(jobId);
            if (job.isEmpty() || job.get().status().isFinished() || job.get().cancelRequested()) return null;
            return submitter.cancel(job.get());
        });
    }

    /** Publishes a succeeded trial's parked model as the next version of its model id (the job then shows that version). */
    @Transactional
    public int publish(String jobId) {
        Job job = jobs.findById(jobId).orElseThrow();
        if (job.parkedModelKey() == null) throw new IllegalStateException("job " + jobId + " parked no model");
        Model model;
        try (InputStream in = blobs.open(job.parkedModelKey())) {
            model = Model.load(in);
        } catch (IOException e) {
            throw new UncheckedIOException("parked model of job " + jobId + " is unreadable", e);
        }
        int version = registry.register(job.modelId(), model, jobId);
        jobs.updateModelVersion(jobId, version);
        return version;
    }

    /** Deletes a trial's parked model, if it has one. */
    public void discardParkedModel(String jobId) {
        jobs.findById(jobId).map(Job::parkedModelKey).ifPresent(blobs::delete);
    }
}
