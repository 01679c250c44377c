package io.trainserve.service.sweep;

import io.trainserve.engine.spec.InvalidSpecException;
import io.trainserve.service.system.NotFoundException;
import io.trainserve.service.training.JobSpec;
import io.trainserve.service.training.JobStatus;
import io.trainserve.service.training.JobView;
import io.trainserve.service.training.TrialJobs;
import java.time.Clock;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;
import org.springframework.stereotype.Component;
import org.springframework.transaction.annotation.Transactional;
import org.springframework.transaction.support.TransactionSynchronization;
import org.springframework.transaction.support.TransactionSynchronizationManager;

/**
 * One step of a running sweep, in one transaction: queue pending trials while fewer than maxConcurrentTrials run;
 * once every trial has ended, publish the best one's model and end the sweep. Everything it knows is in the database,
 * so any instance may take the next step (after a restart too). Instances stepping one sweep at once take turns on its
 * row lock; the sweep's version (optimistic lock) makes a step that raced a cancel roll back whole, its queued jobs with it.
 */
@Component
class SweepStepper {
    private final SweepRepository sweeps;
    private final SweepTrialRepository trials;
    private final SweepPlanner planner;
    private final SweepViews views;
    private final TrialJobs jobs;
    private final Clock clock;

    SweepStepper(SweepRepository sweeps, SweepTrialRepository trials, SweepPlanner planner, SweepViews views, TrialJobs jobs,
                 Optional<Clock> clock) {
        this.sweeps = sweeps;
        this.trials = trials;
        this.planner = planner;
        this.views = views;
        this.jobs = jobs;
        this.clock = clock.orElse(Clock.systemUTC());
    }

    @Transactional
    void step(String sweepId) {
        Sweep sweep = sweeps.lockById(sweepId).orElse(null);
        if (sweep == null || sweep.status() != SweepStatus.RUNNING) return;
        SweepRequest request = views.request(sweep);
        List<SweepTrial> all = trials.findBySweepIdOrderByTrial(sweepId);
        long active = all.stream().filter(t -> t.jobId() != null && !finished(t.jobId())).count();
        List<SweepTrial> pending = all.stream().filter(t -> t.jobId() == null).toList();
        int room = (int) Math.max(0, request.strategy().maxConcurrentTrials() - active);
        if (!pending.isEmpty() && room > 0) {
            queue(sweep, request, pending.subList(0, Math.min(room, pending.size())));
        } else if (pending.isEmpty() && active == 0) {
            finish(sweep, request, all);
        }
    }

    private void queue(Sweep sweep, SweepRequest request, List<SweepTrial> next) {
        List<JobSpec> specs = new ArrayList<>();
        for (SweepTrial t : next) {
            try {
                JobSpec spec = planner.trialSpec(request, views.parameters(t));
                jobs.check(spec); // checked apart from submit: a failure inside submit's transaction would doom this one
                specs.add(spec);
            } catch (InvalidSpecException | NotFoundException e) {
                // every trial was fine when the sweep was created: its dataset or base model is gone since
                sweep.fail(clock.instant(), "INVALID_TRIAL", "trial " + t.trial() + " can no longer be queued: " + e.getMessage());
                return;
            }
        }
        for (int i = 0; i < next.size(); i++) next.get(i).queuedAs(jobs.submit(specs.get(i), sweep.id(), request.versionsAllTrials()));
        sweep.queued(next.size()); // bumps the sweep's version: a concurrent step of the same sweep rolls back
    }

    private void finish(Sweep sweep, SweepRequest request, List<SweepTrial> all) {
        String metric = request.objective().metric();
        Comparator<Double> better = request.objective().maximize() ? Comparator.reverseOrder() : Comparator.naturalOrder();
        String bestJob = null;
        Double bestValue = null;
        List<String> jobIds = new ArrayList<>();
        int failed = 0;
        int stopped = 0;
        for (SweepTrial t : all) {
            if (t.jobId() == null) continue;
            jobIds.add(t.jobId());
            JobView job = jobs.find(t.jobId()).orElseThrow();
            if (t.stoppedAtEpoch() != null) stopped++;
            if (job.status() != JobStatus.SUCCEEDED) {
                failed += job.status() == JobStatus.FAILED ? 1 : 0;
                continue;
            }
            Double value = SweepViews.objective(job, metric);
            if (value != null && (bestValue == null || better.compare(value, bestValue) < 0)) {
                bestValue = value;
                bestJob = t.jobId();
            }
        }
        if (bestJob == null) {
            sweep.fail(clock.instant(), "NO_SUCCESSFUL_TRIAL", "no trial succeeded with a value for " + metric + " (" + all.size()
                    + " trials: " + failed + " failed, " + stopped + " stopped by ASHA)");
        } else {
            String winner = bestJob;
            Integer version = request.versionsAllTrials() ? jobs.find(winner).map(JobView::modelVersion).orElse(null) : jobs.publish(winner);
            sweep.succeed(clock.instant(), winner, version);
        }
        sweeps.saveAndFlush(sweep);
        // parked models go only once the sweep's end is committed: a step that rolls back may still need the winner's
        TransactionSynchronizationManager.registerSynchronization(new TransactionSynchronization() {
            @Override
            public void afterCommit() {
                jobIds.forEach(jobs::discardParkedModel);
            }
        });
    }

    private boolean finished(String jobId) {
        return jobs.find(jobId).map(j -> j.status().isFinished()).orElse(true);
    }
}
