package io.trainserve.service.sweep;

import io.trainserve.service.system.NotFoundException;
import io.trainserve.service.training.TrialJobs;
import java.time.Clock;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import org.springframework.stereotype.Component;
import org.springframework.transaction.PlatformTransactionManager;
import org.springframework.transaction.support.TransactionTemplate;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/** Creates sweeps (with all their trials planned) and cancels them with their queued and running trials. */
@Component
class SweepSubmitter {
    private final SweepPlanner planner;
    private final SweepRepository sweeps;
    private final SweepTrialRepository trials;
    private final TrialJobs jobs;
    private final TransactionTemplate tx;
    private final JsonMapper json;
    private final Clock clock;

    SweepSubmitter(SweepPlanner planner, SweepRepository sweeps, SweepTrialRepository trials, TrialJobs jobs,
                   PlatformTransactionManager transactions, JsonMapper json, Optional<Clock> clock) {
        this.planner = planner;
        this.sweeps = sweeps;
        this.trials = trials;
        this.jobs = jobs;
        this.tx = new TransactionTemplate(transactions);
        this.json = json;
        this.clock = clock.orElse(Clock.systemUTC());
    }

    /** Checks and plans the sweep (400 naming the path when something is wrong) and stores it; the driver queues its trials. */
    Sweep submit(SweepRequest request) {
        SweepPlanner.Plan plan = planner.plan(request);
        String id = UUID.randomUUID().toString();
        return tx.execute(s -> {
            Sweep sweep = sweeps.saveAndFlush(new Sweep(id, request.modelId(), json.writeValueAsString(plan.request()), clock.instant()));
            List<Map<String, JsonNode>> points = plan.trials();
            for (int t = 0; t < points.size(); t++) trials.save(new SweepTrial(id, t + 1, json.writeValueAsString(points.get(t))));
            trials.flush();
            return sweep;
        });
    }

    /** Ends the sweep as CANCELLED (409 when it already ended), then cancels its queued and running trials like POST /jobs/{id}/cancel. */
    Sweep cancel(String id) {
        // under the sweep's row lock: a step of this sweep running now on any instance finishes first, and none follows
        Sweep cancelled = tx.execute(s -> {
            Sweep sweep = sweeps.lockById(id).orElseThrow(() -> new NotFoundException("sweep", id));
            sweep.cancel(clock.instant());
            return sweeps.saveAndFlush(sweep);
        });
        // no step queues a trial once CANCELLED is committed: every trial queued so far is here
        for (SweepTrial t : trials.findBySweepIdOrderByTrial(id)) {
            if (t.jobId() == null) continue;
            jobs.cancel(t.jobId());
            jobs.discardParkedModel(t.jobId()); // a cancelled sweep publishes nothing
        }
        return cancelled;
    }
}
