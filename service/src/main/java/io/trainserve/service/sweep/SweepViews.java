package io.trainserve.service.sweep;

import io.trainserve.service.training.JobView;
import io.trainserve.service.training.TrialJobs;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.springframework.stereotype.Component;
import tools.jackson.core.type.TypeReference;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/** Turns a stored sweep and its trials' jobs into the sweep's JSON view. */
@Component
class SweepViews {
    private final SweepTrialRepository trials;
    private final TrialJobs jobs;
    private final JsonMapper json;

    SweepViews(SweepTrialRepository trials, TrialJobs jobs, JsonMapper json) {
        this.trials = trials;
        this.jobs = jobs;
        this.json = json;
    }

    SweepView of(Sweep s) {
        SweepRequest r = request(s);
        String metric = r.objective().metric();
        List<SweepView.Trial> views = trials.findBySweepIdOrderByTrial(s.id()).stream().map(t -> trial(s, t, metric)).toList();
        SweepView.Best best = views.stream().filter(t -> t.jobId() != null && t.jobId().equals(s.bestJobId())).findFirst()
                .map(t -> new SweepView.Best(t.trial(), t.parameters(), t.jobId(), t.objectiveValue(),
                        jobs.find(t.jobId()).map(JobView::metrics).orElse(Map.of())))
                .orElse(null);
        JobView.Error error = s.errorCode() == null ? null : new JobView.Error(s.errorCode(), s.errorMessage());
        return new SweepView(s.id(), s.modelId(), s.status(), s.createdAt(), s.finishedAt(), r.job(), r.parameters(), r.strategy(),
                r.objective(), r.versionsAllTrials(), views, best, s.modelVersion(), error);
    }

    SweepRequest request(Sweep s) {
        return json.readValue(s.requestJson(), SweepRequest.class);
    }

    Map<String, JsonNode> parameters(SweepTrial t) {
        return json.readValue(t.parametersJson(), new TypeReference<>() {});
    }

    private SweepView.Trial trial(Sweep s, SweepTrial t, String metric) {
        Map<String, JsonNode> parameters = parameters(t);
        Optional<JobView> job = t.jobId() == null ? Optional.empty() : jobs.find(t.jobId());
        if (job.isEmpty()) {
            String status = s.status().isFinished() ? "CANCELLED" : "PENDING";
            return new SweepView.Trial(t.trial(), parameters, t.jobId(), status, null, null, null, null, List.of());
        }
        JobView j = job.get();
        String status = t.stoppedAtEpoch() != null && j.status().isFinished() ? "STOPPED" : j.status().name();
        return new SweepView.Trial(t.trial(), parameters, j.id(), status, j.epoch(), objective(j, metric), t.stoppedAtEpoch(), j.error(),
                j.diagnoses());
    }

    /** The trial's objective value: the metric at its last finished epoch, when finite. */
    static Double objective(JobView job, String metric) {
        Double v = job.metrics() == null ? null : job.metrics().get(metric);
        return v != null && Double.isFinite(v) ? v : null;
    }
}
