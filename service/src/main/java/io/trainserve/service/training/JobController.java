package io.trainserve.service.training;

import io.trainserve.service.security.Audit;
import io.trainserve.service.system.Idempotency;
import io.trainserve.service.system.NotFoundException;
import java.net.URI;
import java.util.ArrayList;
import java.util.List;
import org.springframework.data.domain.Sort;
import org.springframework.data.jpa.domain.Specification;
import org.springframework.http.HttpStatus;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestHeader;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;
import org.springframework.web.servlet.support.ServletUriComponentsBuilder;

@RestController
@RequestMapping("/jobs")
class JobController {
    private final JobSubmitter submitter;
    private final JobRepository jobs;
    private final JobEpochRepository history;
    private final JobViews views;
    private final Audit audit;
    private final Idempotency idempotency;

    JobController(JobSubmitter submitter, JobRepository jobs, JobEpochRepository history, JobViews views, Audit audit,
                  Idempotency idempotency) {
        this.audit = audit;
        this.idempotency = idempotency;
        this.submitter = submitter;
        this.jobs = jobs;
        this.history = history;
        this.views = views;
    }

    /** A retry carrying the same {@code Idempotency-Key} gets the first request's job (202 again), not a second job. */
    @PostMapping
    ResponseEntity<JobView> submit(@RequestBody JobSpec spec,
                                   @RequestHeader(name = Idempotency.HEADER, required = false) String idempotencyKey) {
        Idempotency.Outcome<Job> outcome = idempotency.once("jobs", idempotencyKey, () -> submitter.submit(spec), Job::id, this::find,
                submitter::withdraw);
        Job job = outcome.resource(); // audited by the submitter, in the job's transaction
        URI location = ServletUriComponentsBuilder.fromCurrentRequestUri().path("/{id}").buildAndExpand(job.id()).toUri();
        return ResponseEntity.accepted().location(location).body(outcome.created() ? views.of(job, spec) : views.of(job));
    }

    @GetMapping
    List<JobView> list(@RequestParam(required = false) JobStatus status, @RequestParam(required = false) String modelId) {
        List<Specification<Job>> filters = new ArrayList<>();
        if (status != null) filters.add((root, q, cb) -> cb.equal(root.get("status"), status));
        if (modelId != null) filters.add((root, q, cb) -> cb.equal(root.get("modelId"), modelId));
        return jobs.findAll(Specification.allOf(filters), Sort.by(Sort.Direction.DESC, "createdAt")).stream().map(views::of).toList();
    }

    @GetMapping("/{id}")
    JobView get(@PathVariable String id) {
        return views.of(find(id));
    }

    @GetMapping("/{id}/history")
    List<JobView.EpochView> history(@PathVariable String id) {
        find(id);
        return history.findByJobIdOrderByEpoch(id).stream().map(views::of).toList();
    }

    /** 200 with the CANCELLED job when it was queued; 202 when running (it stops after its current step). */
    @PostMapping("/{id}/cancel")
    ResponseEntity<JobView> cancel(@PathVariable String id) {
        Job job = OnConflict.retry(id, () -> submitter.cancel(find(id)));
        audit.record("job.cancel", id);
        HttpStatus status = job.status() == JobStatus.CANCELLED ? HttpStatus.OK : HttpStatus.ACCEPTED;
        return ResponseEntity.status(status).body(views.of(job));
    }

    private Job find(String id) {
        return jobs.findById(id).orElseThrow(() -> new NotFoundException("job", id));
    }
}
