package io.trainserve.service.sweep;

import io.trainserve.service.training.EpochGate;
import io.trainserve.service.training.TrialJobs;
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
 * ends CANCELLED and the trial shows STOPPED with the rung it stopped at.
 */
@Component
class AshaGate implements EpochGate {
    private static final Logger log = LoggerFactory.getLogger(AshaGate.class);
    private final SweepTrialRepository trials;
    private final SweepRepository sweeps;
    private final TrialJobs jobs;
    private final JsonMapper json;

    AshaGate(SweepTrialRepository trials, SweepRepository sweeps, TrialJobs jobs, JsonMapper json) {
        this.trials = trials;
        this.sweeps = sweeps;
        this.jobs = jobs;
        this.json = json;
    }

    @Override
    public boolean stopAfter(String jobId, int epoch, int epochs, Map<String, Double> metrics) {
        Optional<SweepTrial> trial = trials.findByJobId(jobId);
        if (trial.isEmpty() || epoch >= epochs) return false;
        Sweep sweep = sweeps.findById(trial.get().sweepId()).orElse(null);
        if (sweep == null || sweep.status() != SweepStatus.RUNNING) return false;
        SweepRequest request = json.readValue(sweep.requestJson(), SweepRequest.class);
        SweepRequest.Strategy s = request.strategy();
        if (!"asha".equals(s.type())) return false;
        Asha asha = new Asha(s.minEpochs(), s.reductionFactor(), request.objective().maximize());
        if (!asha.isRung(epoch)) return false;
        String metric = request.objective().metric();
        Double value = metrics.get(metric);
        List<String> others = trials.findBySweepIdOrderByTrial(sweep.id()).stream().map(SweepTrial::jobId)
                .filter(Objects::nonNull).filter(id -> !id.equals(jobId)).toList();
        List<Double> atRung = jobs.metricsAt(others, epoch).values().stream().map(m -> m.get(metric)).toList();
        if (asha.goesOn(value == null ? Double.NaN : value, atRung)) return false;
        trials.stoppedAt(jobId, epoch);
        log.info("sweep {}: ASHA stops trial {} (job {}) at epoch {}: {} = {} is not in the best 1/{} of {} trials there", sweep.id(),
                trial.get().trial(), jobId, epoch, metric, value, s.reductionFactor(), atRung.size() + 1);
        return true;
    }
}
