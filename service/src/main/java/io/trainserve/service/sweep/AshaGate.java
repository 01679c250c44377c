package io.trainserve.service.sweep;

import io.trainserve.service.training.EpochGate;
import io.trainserve.service.training.TrialJobs;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.stereotype.Component;
import tools.jackson.databind.json.JsonMapper;

/**
 * Stops weak ASHA trials at their rungs, on the worker that trains them, right after the rung's epoch: the trial's value
 * is compared with the other trials' values at the same epoch, read from their job history. A stopped trial's job
 * ends CANCELLED and the trial shows STOPPED with the rung it stopped at. The database is read only at rungs: what a
 * job's sweep asks for is looked up once per job (tiny epochs come by the thousand).
 */
@Component
class AshaGate implements EpochGate {
    private static final Logger log = LoggerFactory.getLogger(AshaGate.class);
    private static final int REMEMBERED_JOBS = 256;
    private final SweepTrialRepository trials;
    private final SweepRepository sweeps;
    private final TrialJobs jobs;
    private final JsonMapper json;
    /** Per trial job: its sweep's ASHA settings, or empty when its sweep is not an ASHA one. */
    private final Map<String, Optional<Rungs>> byJob = new LinkedHashMap<>(16, 0.75f, true) {
        @Override
        protected boolean removeEldestEntry(Map.Entry<String, Optional<Rungs>> eldest) {
            return size() > REMEMBERED_JOBS;
        }
    };

    private record Rungs(String sweepId, int trial, Asha asha, String metric) {
    }

    AshaGate(SweepTrialRepository trials, SweepRepository sweeps, TrialJobs jobs, JsonMapper json) {
        this.trials = trials;
        this.sweeps = sweeps;
        this.jobs = jobs;
        this.json = json;
    }

    @Override
    public boolean stopAfter(String jobId, int epoch, int epochs, Map<String, Double> metrics) {
        if (epoch >= epochs) return false;
        Optional<Rungs> found;
        synchronized (byJob) {
            found = byJob.get(jobId);
        }
        if (found == null) {
            found = rungs(jobId);
            synchronized (byJob) {
                byJob.put(jobId, found);
            }
        }
        if (found.isEmpty() || !found.get().asha().isRung(epoch)) return false;
        Rungs r = found.get();
        if (sweeps.findById(r.sweepId()).map(s -> s.status() != SweepStatus.RUNNING).orElse(true)) return false;
        Double value = metrics.get(r.metric());
        List<String> others = trials.findBySweepIdOrderByTrial(r.sweepId()).stream().map(SweepTrial::jobId)
                .filter(Objects::nonNull).filter(id -> !id.equals(jobId)).toList();
        List<Double> atRung = jobs.metricsAt(others, epoch).values().stream().map(m -> m.get(r.metric())).toList();
        if (r.asha().goesOn(value == null ? Double.NaN : value, atRung)) return false;
        trials.stoppedAt(jobId, epoch);
        log.info("sweep {}: ASHA stops trial {} (job {}) at epoch {}: {} = {} is not in the best 1/{} of the {} trials there", r.sweepId(),
                r.trial(), jobId, epoch, r.metric(), value, r.asha().reductionFactor(), atRung.size() + 1);
        return true;
    }

    private Optional<Rungs> rungs(String jobId) {
        return trials.findByJobId(jobId).flatMap(t -> sweeps.findById(t.sweepId()).flatMap(sweep -> {
            SweepRequest request = json.readValue(sweep.requestJson(), SweepRequest.class);
            SweepRequest.Strategy s = request.strategy();
            if (!"asha".equals(s.type())) return Optional.empty();
            return Optional.of(new Rungs(sweep.id(), t.trial(), new Asha(s.minEpochs(), s.reductionFactor(), request.objective().maximize()),
                    request.objective().metric()));
        }));
    }
}
